//! The random stream of `SAMPLER.md` §3: the `ChaCha20` keystream of RFC 8439
//! (key = the seed, nonce = 12 zero bytes, block counter from 0) read as 32-bit
//! little-endian words, and `uniform(n)` by rejection.
//!
//! Decisions: written here rather than taken from a crate, because the stream is part of
//! a published format that other implementations (the browser verifier) follow word for
//! word, and the block function is 30 lines; it is checked against the RFC's vectors. The
//! block counter is 32 bits as in RFC 8439; a draw reads far fewer than 2³² blocks.

/// The `ChaCha20` block function (RFC 8439 §2.3): the 16 output words of one block.
pub fn block(key: &[u32; 8], counter: u32, nonce: &[u32; 3]) -> [u32; 16] {
    let mut init = [0u32; 16];
    init[..4].copy_from_slice(&[0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]);
    init[4..12].copy_from_slice(key);
    init[12] = counter;
    init[13..].copy_from_slice(nonce);
    let mut s = init;
    for _ in 0..10 {
        quarter(&mut s, 0, 4, 8, 12);
        quarter(&mut s, 1, 5, 9, 13);
        quarter(&mut s, 2, 6, 10, 14);
        quarter(&mut s, 3, 7, 11, 15);
        quarter(&mut s, 0, 5, 10, 15);
        quarter(&mut s, 1, 6, 11, 12);
        quarter(&mut s, 2, 7, 8, 13);
        quarter(&mut s, 3, 4, 9, 14);
    }
    for (w, i) in s.iter_mut().zip(init) {
        *w = w.wrapping_add(i);
    }
    s
}

/// The quarter round (RFC 8439 §2.2), with the RFC's names.
#[allow(clippy::many_single_char_names)]
fn quarter(s: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(16);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(12);
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(8);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(7);
}

/// Reads 32 bytes as eight little-endian words.
pub fn key_words(bytes: &[u8; 32]) -> [u32; 8] {
    let mut key = [0u32; 8];
    for (k, chunk) in key.iter_mut().zip(bytes.chunks_exact(4)) {
        *k = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    key
}

/// The sampler's stream of words.
pub struct Stream {
    key: [u32; 8],
    counter: u32,
    words: [u32; 16],
    next: usize,
}

impl Stream {
    pub fn new(seed: &[u8; 32]) -> Self {
        Self { key: key_words(seed), counter: 0, words: [0; 16], next: 16 }
    }

    /// The next 32-bit word of the keystream.
    pub fn next_word(&mut self) -> u32 {
        if self.next == 16 {
            self.words = block(&self.key, self.counter, &[0; 3]);
            self.counter = self.counter.wrapping_add(1);
            self.next = 0;
        }
        let w = self.words[self.next];
        self.next += 1;
        w
    }

    /// A uniform integer in `[0, n)` for `1 ≤ n < 2³²`, by rejection (§3): always reads
    /// at least one word.
    pub fn uniform(&mut self, n: u32) -> u32 {
        debug_assert!(n >= 1);
        let limit = (1u64 << 32) - ((1u64 << 32) % u64::from(n));
        loop {
            let x = self.next_word();
            if u64::from(x) < limit {
                return x % n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(hex: &str) -> Vec<u8> {
        hex::decode(hex.replace([' ', '\n', ':'], "")).unwrap()
    }

    #[test]
    fn block_matches_rfc_8439_2_3_2() {
        let key: [u8; 32] = std::array::from_fn(|i| u8::try_from(i).unwrap());
        let nonce = [0x0900_0000, 0x4a00_0000, 0];
        let out = block(&key_words(&key), 1, &nonce);
        let expected = [
            0xe4e7_f110,
            0x1559_3bd1,
            0x1fdd_0f50,
            0xc471_20a3,
            0xc7f4_d1c7,
            0x0368_c033,
            0x9aaa_2204,
            0x4e6c_d4c3,
            0x4664_82d2,
            0x09aa_9f07,
            0x05d7_c214,
            0xa202_8bd9,
            0xd19c_12b5,
            0xb94e_16de,
            0xe883_d0cb,
            0x4e3c_50a2,
        ];
        assert_eq!(out, expected);
    }

    #[test]
    fn keystream_matches_rfc_8439_2_4_2() {
        // §2.4.2: the keystream of key 00..1f, nonce 00:00:00:00:00:00:00:4a:00:00:00:00,
        // counter 1, is "plaintext XOR ciphertext"; check the first two blocks' bytes.
        let key: [u8; 32] = std::array::from_fn(|i| u8::try_from(i).unwrap());
        let nonce = [0, 0x4a00_0000, 0];
        let mut stream = Vec::new();
        for counter in 1..=2 {
            for w in block(&key_words(&key), counter, &nonce) {
                stream.extend_from_slice(&w.to_le_bytes());
            }
        }
        let plain = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
        let cipher = words(
            "6e 2e 35 9a 25 68 f9 80 41 ba 07 28 dd 0d 69 81 e9 7e 7a ec 1d 43 60 c2 0a 27 af cc fd 9f ae 0b
             f9 1b 65 c5 52 47 33 ab 8f 59 3d ab cd 62 b3 57 16 39 d6 24 e6 51 52 ab 8f 53 0c 35 9f 08 61 d8
             07 ca 0d bf 50 0d 6a 61 56 a3 8e 08 8a 22 b6 5e 52 bc 51 4d 16 cc f8 06 81 8c e9 1a b7 79 37 36
             5a f9 0b bf 74 a3 5b e6 b4 0b 8e ed f2 78 5e 42 87 4d",
        );
        assert_eq!(cipher.len(), plain.len());
        for (i, (p, c)) in plain.iter().zip(&cipher).enumerate() {
            assert_eq!(p ^ c, stream[i], "keystream byte {i}");
        }
    }

    #[test]
    fn the_stream_is_the_keystream_from_counter_zero_with_a_zero_nonce() {
        // RFC 8439 §2.3.2's block function at counter 0 with an all-zero key and nonce
        // (the first test vector of appendix A.1).
        let mut s = Stream::new(&[0; 32]);
        let first: Vec<u8> = (0..4).flat_map(|_| s.next_word().to_le_bytes()).collect();
        assert_eq!(hex::encode(first), "76b8e0ada0f13d90405d6ae55386bd28");
    }

    #[test]
    fn uniform_stays_in_range_and_reads_a_word_for_one() {
        let mut a = Stream::new(&[7; 32]);
        let mut b = Stream::new(&[7; 32]);
        assert_eq!(a.uniform(1), 0);
        b.next_word();
        assert_eq!(a.next_word(), b.next_word());
        for n in [2, 3, 7, 1000, u32::MAX] {
            for _ in 0..100 {
                assert!(a.uniform(n) < n);
            }
        }
    }
}
