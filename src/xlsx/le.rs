//! Little-endian integers at an offset of a byte slice, `None` past its end:
//! how the zip directory and the `.xls` container are read without trusting them.

pub fn le16(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..)?.first_chunk().copied().map(u16::from_le_bytes)
}

pub fn le32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..)?.first_chunk().copied().map(u32::from_le_bytes)
}

pub fn le64(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..)?.first_chunk().copied().map(u64::from_le_bytes)
}
