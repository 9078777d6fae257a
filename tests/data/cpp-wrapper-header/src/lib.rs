// Stand-in for encoding_c 0.9.8 src/lib.rs: the five exports (and three statics)
// that the reduced C++ wrapper header include/encoding_rs_cpp.h calls, with the
// same names and C signatures, and no dependency on encoding_rs.
pub struct Encoding {
    id: u8,
}

pub struct Decoder {
    encoding: *const Encoding,
}

pub struct Encoder {
    encoding: *const Encoding,
}

pub struct ConstEncoding(*const Encoding);
unsafe impl Sync for ConstEncoding {}

static UTF_8_INIT: Encoding = Encoding { id: 0 };
static UTF_16LE_INIT: Encoding = Encoding { id: 1 };
static UTF_16BE_INIT: Encoding = Encoding { id: 2 };

#[no_mangle]
pub static UTF_8_ENCODING: ConstEncoding = ConstEncoding(&UTF_8_INIT);
#[no_mangle]
pub static UTF_16LE_ENCODING: ConstEncoding = ConstEncoding(&UTF_16LE_INIT);
#[no_mangle]
pub static UTF_16BE_ENCODING: ConstEncoding = ConstEncoding(&UTF_16BE_INIT);

/// Allocates a decoder for `encoding`.
///
/// # Safety
///
/// `encoding` must be one of the `*_ENCODING` statics.
#[no_mangle]
pub unsafe extern "C" fn encoding_new_decoder_without_bom_handling(
    encoding: *const Encoding,
) -> *mut Decoder {
    Box::into_raw(Box::new(Decoder { encoding }))
}

/// Deallocates a decoder.
///
/// # Safety
///
/// `decoder` must come from this crate or be NULL.
#[no_mangle]
pub unsafe extern "C" fn decoder_free(decoder: *mut Decoder) {
    if !decoder.is_null() {
        drop(Box::from_raw(decoder));
    }
}

/// Worst-case output length.
///
/// # Safety
///
/// `decoder` must be a live decoder or NULL.
#[no_mangle]
pub unsafe extern "C" fn decoder_max_utf8_buffer_length(
    decoder: *const Decoder,
    byte_length: usize,
) -> usize {
    match decoder.as_ref() {
        Some(d) if !d.encoding.is_null() => byte_length.saturating_mul(3),
        _ => usize::MAX,
    }
}

/// Copies `src` to `dst` (stand-in for the real conversion).
///
/// # Safety
///
/// Pointers must be valid or NULL (NULL is rejected).
#[no_mangle]
pub unsafe extern "C" fn decoder_decode_to_utf8(
    decoder: *mut Decoder,
    src: *const u8,
    src_len: *mut usize,
    dst: *mut u8,
    dst_len: *mut usize,
    last: bool,
    had_replacements: *mut bool,
) -> u32 {
    if decoder.is_null()
        || src.is_null()
        || src_len.is_null()
        || dst.is_null()
        || dst_len.is_null()
        || had_replacements.is_null()
    {
        return u32::MAX;
    }
    let n = (*src_len).min(*dst_len);
    std::ptr::copy_nonoverlapping(src, dst, n);
    *src_len = n;
    *dst_len = n;
    *had_replacements = !last;
    0
}

/// Deallocates an encoder.
///
/// # Safety
///
/// `encoder` must come from this crate or be NULL.
#[no_mangle]
pub unsafe extern "C" fn encoder_free(encoder: *mut Encoder) {
    if !encoder.is_null() {
        let e = Box::from_raw(encoder);
        let _ = e.encoding;
    }
}
