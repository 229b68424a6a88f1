#pragma once
// Bytes in memory handed to libcurl as an upload (a mail, a checksum file): the callback for
// CURLOPT_READFUNCTION with the buffer as CURLOPT_READDATA. No libcurl types needed here.

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>

namespace unyo {

struct UploadBuffer {
    std::string data;
    std::size_t offset = 0;
};

inline std::size_t ReadUploadBuffer(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* u = static_cast<UploadBuffer*>(user);
    const std::size_t n = std::min(size * count, u->data.size() - u->offset);
    std::memcpy(buffer, u->data.data() + u->offset, n);
    u->offset += n;
    return n;
}

}  // namespace unyo
