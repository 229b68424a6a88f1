#include "core/crypto.hpp"

#include <fstream>
#include <stdexcept>
#include <vector>

#include <sodium.h>

namespace unyo {

void InitCrypto() {
    if (sodium_init() < 0) {
        throw std::runtime_error("libsodium failed to initialise");
    }
}

std::string RandomToken(std::size_t bytes) {
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    std::string out(sodium_base64_encoded_len(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                    '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                      raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.find('\0'));
    sodium_memzero(raw.data(), raw.size());
    return out;
}

std::string RandomPassword(std::size_t length) {
    // No look-alike characters (0/O, 1/l/I) so that a printed password can be typed.
    static constexpr std::string_view kClasses[] = {
        "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "-_.!#%+=@"};
    std::string out;
    for (std::size_t i = 0; i < length; ++i) {
        const auto& cls = kClasses[i < 4 ? i : randombytes_uniform(4)];
        out.push_back(cls[randombytes_uniform(static_cast<uint32_t>(cls.size()))]);
    }
    // Shuffle so the class order is not predictable.
    for (std::size_t i = out.size() - 1; i > 0; --i) {
        std::swap(out[i], out[randombytes_uniform(static_cast<uint32_t>(i + 1))]);
    }
    return out;
}

std::string Sha256Hex(std::string_view data) {
    Sha256 h;
    h.Update(data.data(), data.size());
    return h.Hex();
}

static_assert(sizeof(crypto_hash_sha256_state) <= 208);

Sha256::Sha256() { crypto_hash_sha256_init(reinterpret_cast<crypto_hash_sha256_state*>(state_)); }

void Sha256::Update(const void* data, std::size_t size) {
    crypto_hash_sha256_update(reinterpret_cast<crypto_hash_sha256_state*>(state_), static_cast<const unsigned char*>(data),
                              size);
}

std::string Sha256::Hex() {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(reinterpret_cast<crypto_hash_sha256_state*>(state_), digest);
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<std::string> HashPassword(std::string_view password, HashCost cost) {
    char out[crypto_pwhash_STRBYTES];
    const auto ops = cost == HashCost::kInteractive ? crypto_pwhash_OPSLIMIT_INTERACTIVE
                                                    : crypto_pwhash_OPSLIMIT_MIN;
    const auto mem = cost == HashCost::kInteractive ? crypto_pwhash_MEMLIMIT_INTERACTIVE
                                                    : crypto_pwhash_MEMLIMIT_MIN;
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return Fail(Error::Internal("password hashing ran out of memory"));
    }
    return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
    const std::string h(hash);
    return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

Result<std::string> FileSha256(const std::filesystem::path& p, std::int64_t* size) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return Fail(Error::NotFound("cannot read " + p.string()));
    Sha256 h;
    std::vector<char> buf(256 * 1024);
    std::int64_t total = 0;
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto n = in.gcount();
        if (n <= 0) break;
        h.Update(buf.data(), static_cast<std::size_t>(n));
        total += n;
    }
    if (size) *size = total;
    return h.Hex();
}

}  // namespace unyo
