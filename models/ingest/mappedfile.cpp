#include "mappedfile.h"

#include <algorithm>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace ps {
namespace {

constexpr uint64_t kPadding = 64;

uint64_t pageSize() {
    static const auto size = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    return size;
}

}  // namespace

MappedFile::~MappedFile() {
    reset();
}

MappedFile::MappedFile(MappedFile&& other) noexcept {
    *this = std::move(other);
}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
    if (this != &other) {
        reset();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
        readable_ = std::exchange(other.readable_, 0);
        mappedLength_ = std::exchange(other.mappedLength_, 0);
        owned_ = std::exchange(other.owned_, nullptr);
        path_ = std::move(other.path_);
        error_ = std::move(other.error_);
        modifiedNs_ = other.modifiedNs_;
    }
    return *this;
}

void MappedFile::reset() {
    if (mappedLength_ != 0) {
        munmap(const_cast<char*>(data_), mappedLength_);
    }
    delete[] owned_;
    data_ = nullptr;
    owned_ = nullptr;
    size_ = readable_ = mappedLength_ = 0;
}

bool MappedFile::open(const std::string& path) {
    reset();
    path_ = path;
    error_.clear();
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error_ = std::strerror(errno);
        return false;
    }
    struct stat st {};
    if (fstat(fd, &st) != 0) {
        error_ = std::strerror(errno);
        ::close(fd);
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        error_ = "is a folder";
        ::close(fd);
        return false;
    }
    modifiedNs_ = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    size_ = static_cast<uint64_t>(st.st_size);
    if (S_ISREG(st.st_mode) && size_ > 0) {
        const uint64_t length = (size_ + pageSize() - 1) / pageSize() * pageSize();
        void* p = mmap(nullptr, length, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
            data_ = static_cast<const char*>(p);
            mappedLength_ = length;
            readable_ = length;
            ::close(fd);
            return true;
        }
    }
    // Not mappable (a pipe, a special file): read it whole into a padded buffer.
    std::string bytes;
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            error_ = std::strerror(errno);
            ::close(fd);
            return false;
        }
        if (n == 0) {
            break;
        }
        bytes.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    openBytes(bytes, path);
    return true;
}

void MappedFile::openBytes(std::string_view bytes, std::string name) {
    reset();
    path_ = std::move(name);
    owned_ = new char[bytes.size() + kPadding]();
    std::memcpy(owned_, bytes.data(), bytes.size());
    data_ = owned_;
    size_ = bytes.size();
    readable_ = bytes.size() + kPadding;
}

void MappedFile::prefetch(uint64_t offset, uint64_t length) const {
    if (mappedLength_ == 0 || offset >= mappedLength_) {
        return;
    }
    const uint64_t begin = offset / pageSize() * pageSize();
    const uint64_t end = std::min<uint64_t>(mappedLength_, offset + length);
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22  // Linux 5.14; older kernels reject it and the pages fault in one by one
#endif
    madvise(const_cast<char*>(data_) + begin, end - begin, MADV_POPULATE_READ);
}

void MappedFile::dropResidentPages(uint64_t offset, uint64_t length) const {
    if (mappedLength_ == 0) {
        return;
    }
    const uint64_t begin = offset / pageSize() * pageSize();
    const uint64_t end = std::min(mappedLength_, (offset + length) / pageSize() * pageSize());
    if (end > begin) {
        madvise(const_cast<char*>(data_) + begin, end - begin, MADV_DONTNEED);
    }
}

}  // namespace ps
