#ifndef encoding_rs_cpp_h_
#define encoding_rs_cpp_h_
#include <cassert>
#include <memory>
#include <string>
#include <tuple>
#include <optional>
#include "gsl/gsl"
namespace encoding_rs {
class Encoding;
class Decoder;
class Encoder;
};  // namespace encoding_rs
#define ENCODING_RS_ENCODING encoding_rs::Encoding
#define ENCODING_RS_NOT_NULL_CONST_ENCODING_PTR \
  gsl::not_null<const encoding_rs::Encoding*>
#define ENCODING_RS_ENCODER encoding_rs::Encoder
#define ENCODING_RS_DECODER encoding_rs::Decoder
#include "encoding_rs.h"
namespace encoding_rs {
/**
 */
class Decoder final {
 public:
  static inline void operator delete(void* decoder) {
    decoder_free(reinterpret_cast<Decoder*>(decoder));
  }
  inline std::optional<size_t> max_utf8_buffer_length(
      size_t byte_length) const {
    size_t val = decoder_max_utf8_buffer_length(this, byte_length);
    if (val == SIZE_MAX) {
      return std::nullopt;
    }
    return val;
  }
  /**
   */
  inline std::tuple<uint32_t, size_t, size_t, bool> decode_to_utf8(
      gsl::span<const uint8_t> src, gsl::span<uint8_t> dst, bool last) {
    size_t src_read = src.size();
    size_t dst_written = dst.size();
    bool had_replacements;
    uint32_t result =
        decoder_decode_to_utf8(this, null_to_bogus<const uint8_t>(src.data()),
                               &src_read, null_to_bogus<uint8_t>(dst.data()),
                               &dst_written, last, &had_replacements);
    return {result, src_read, dst_written, had_replacements};
  }
  template <class T>
  static inline T* null_to_bogus(T* ptr) {
    return ptr ? ptr : reinterpret_cast<T*>(alignof(T));
  }
};
/**
 */
class Encoder final {
  static inline void operator delete(void* encoder) {
    encoder_free(reinterpret_cast<Encoder*>(encoder));
  }
  /**
   */
  template <class T>
  static inline T* null_to_bogus(T* ptr) {
    return ptr ? ptr : reinterpret_cast<T*>(alignof(T));
  }
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;
};

/**
 * An encoding as defined in the Encoding Standard
 * Instances of `Encoding` can be compared with `==`.
 */
class Encoding final {
 public:
  /**
   * Implements the _get an encoding_ algorithm
   * (https://encoding.spec.whatwg.org/#concept-encoding-get).
   * `std::nullopt` otherwise.
   */
  static inline std::optional<
      std::tuple<gsl::not_null<const Encoding*>, size_t>>
  for_bom(gsl::span<const uint8_t> buffer) {
    return std::nullopt;
  }

  /**
   * a segment of the input instead of the whole input. Use
   * `new_decoder_with_bom_removal()` when decoding segmented input.
   */
  inline std::tuple<std::string, bool> decode_with_bom_removal(
      gsl::span<const uint8_t> bytes) const {
    if (this == UTF_8_ENCODING && bytes.size() >= 3 &&
        (gsl::as_bytes(bytes.first<3>()) ==
         gsl::as_bytes(gsl::make_span("\xEF\xBB\xBF")))) {
      bytes = bytes.subspan(3, bytes.size() - 3);
    } else if (this == UTF_16LE_ENCODING && bytes.size() >= 2 &&
               (gsl::as_bytes(bytes.first<2>()) ==
                gsl::as_bytes(gsl::make_span("\xFF\xFE")))) {
      bytes = bytes.subspan(2, bytes.size() - 2);
    } else if (this == UTF_16BE_ENCODING && bytes.size() >= 2 &&
               (gsl::as_bytes(bytes.first<2>()) ==
                gsl::as_bytes(gsl::make_span("\xFE\xFF")))) {
      bytes = bytes.subspan(2, bytes.size() - 2);
    }
    return decode_without_bom_handling(bytes);
  }

  /**
   * Decode complete input to `std::string` _without BOM handling_ and
   * `new_decoder_without_bom_handling()` when decoding segmented input.
   */
  inline std::tuple<std::string, bool> decode_without_bom_handling(
      gsl::span<const uint8_t> bytes) const {
    auto decoder = new_decoder_without_bom_handling();
    auto needed = decoder->max_utf8_buffer_length(bytes.size());
    std::string string(needed.value(), '\0');
    const auto [result, read, written, had_errors] = decoder->decode_to_utf8(
        bytes,
        gsl::make_span(reinterpret_cast<uint8_t*>(&string[0]), string.size()),
        true);
    assert(read == static_cast<size_t>(bytes.size()));
    return {string, had_errors};
  }

  /**
   * Decode complete input to `std::string` _without BOM handling_ and
   * _with malformed sequences treated as fatal_ when the entire input is
   * instead of this method to cause the BOM to be removed.
   */
  inline std::unique_ptr<Decoder> new_decoder_without_bom_handling() const {
    return std::unique_ptr<Decoder>(
        encoding_new_decoder_without_bom_handling(this));
  }

 private:
  /**
   * Replaces `nullptr` with a bogus pointer suitable for use as part of a
   * zero-length Rust slice.
   */
  template <class T>
  static inline T* null_to_bogus(T* ptr) {
    return ptr ? ptr : reinterpret_cast<T*>(alignof(T));
  }

  Encoding() = delete;
};

};  // namespace encoding_rs

#endif  // encoding_rs_cpp_h_
