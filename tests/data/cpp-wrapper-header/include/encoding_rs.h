/* Reduced from encoding_c 0.9.8 include/encoding_rs.h + encoding_rs_statics.h:
   the declarations the C++ wrapper uses, verbatim. */
#ifndef cheddar_generated_encoding_rs_h
#define cheddar_generated_encoding_rs_h

#ifdef __cplusplus
extern "C" {
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef ENCODING_RS_ENCODING
#define ENCODING_RS_ENCODING Encoding
#ifndef __cplusplus
typedef struct Encoding_ Encoding;
#endif
#endif

#ifndef ENCODING_RS_NOT_NULL_CONST_ENCODING_PTR
#define ENCODING_RS_NOT_NULL_CONST_ENCODING_PTR const ENCODING_RS_ENCODING*
#endif

#ifndef ENCODING_RS_ENCODER
#define ENCODING_RS_ENCODER Encoder
#ifndef __cplusplus
typedef struct Encoder_ Encoder;
#endif
#endif

#ifndef ENCODING_RS_DECODER
#define ENCODING_RS_DECODER Decoder
#ifndef __cplusplus
typedef struct Decoder_ Decoder;
#endif
#endif

extern ENCODING_RS_NOT_NULL_CONST_ENCODING_PTR const UTF_16BE_ENCODING;
extern ENCODING_RS_NOT_NULL_CONST_ENCODING_PTR const UTF_16LE_ENCODING;
extern ENCODING_RS_NOT_NULL_CONST_ENCODING_PTR const UTF_8_ENCODING;

ENCODING_RS_DECODER* encoding_new_decoder_without_bom_handling(
    ENCODING_RS_ENCODING const* encoding);
void decoder_free(ENCODING_RS_DECODER* decoder);
size_t decoder_max_utf8_buffer_length(ENCODING_RS_DECODER const* decoder,
                                      size_t byte_length);
uint32_t decoder_decode_to_utf8(ENCODING_RS_DECODER* decoder,
                                uint8_t const* src, size_t* src_len,
                                uint8_t* dst, size_t* dst_len, bool last,
                                bool* had_replacements);
void encoder_free(ENCODING_RS_ENCODER* encoder);

#ifdef __cplusplus
}
#endif

#endif  // cheddar_generated_encoding_rs_h
