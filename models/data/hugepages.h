// Large, freshly allocated arrays (record batches, Dataset columns) are written once, front to back. Each 4 KB
// page of them costs a page fault, and in a virtual machine a fault is expensive: with transparent huge pages
// the kernel maps 2 MB per fault instead. Advice only: nothing changes where the kernel does not support it.
#pragma once

#include <cstddef>
#include <vector>

namespace ps {

// Asks for huge pages on the whole 2 MB-aligned pages inside [data, data + bytes).
void adviseHugePages(const void* data, size_t bytes);

// reserve() followed by the advice, before any element is written.
template <class T, class A>
void reserveHuge(std::vector<T, A>& v, size_t count) {
    v.reserve(count);
    adviseHugePages(v.data(), v.capacity() * sizeof(T));
}

// resize() of an empty vector with the advice taken before the elements are value-initialised.
template <class T, class A>
void resizeHuge(std::vector<T, A>& v, size_t count) {
    if (v.capacity() < count) {
        reserveHuge(v, count);
    }
    v.resize(count);
}

}  // namespace ps
