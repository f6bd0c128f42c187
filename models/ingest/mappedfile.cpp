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
        fd_ = std::exchange(other.fd_, -1);
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
    if (fd_ >= 0) {
        ::close(fd_);
    }
    fd_ = -1;
    data_ = nullptr;
    owned_ = nullptr;
    size_ = readable_ = mappedLength_ = 0;
}

bool MappedFile::open(const std::string& path, bool populate) {
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
        void* p = mmap(nullptr, length, PROT_READ, MAP_PRIVATE | (populate ? MAP_POPULATE : 0), fd, 0);
        if (p != MAP_FAILED) {
            data_ = static_cast<const char*>(p);
            mappedLength_ = length;
            readable_ = length;
            fd_ = fd;
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

size_t MappedFile::copyOut(uint64_t offset, char* dst, size_t n) const {
    if (offset >= size_) {
        return 0;
    }
    n = static_cast<size_t>(std::min<uint64_t>(n, size_ - offset));
    if (fd_ < 0) {
        std::memcpy(dst, data_ + offset, n);
        return n;
    }
    size_t done = 0;
    while (done < n) {
        const ssize_t got = ::pread(fd_, dst + done, n - done, static_cast<off_t>(offset + done));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        done += static_cast<size_t>(got);
    }
    return done;
}

}  // namespace ps
