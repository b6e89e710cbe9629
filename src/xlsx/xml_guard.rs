//! A pass-through reader that bounds every XML token. An XML parser buffers one
//! token (a tag, a run of text, a comment, a CDATA section) at a time, so a part
//! with one 500 MB text run would make it allocate 500 MB. [`Guard`] sits
//! between the inflater and the parser, follows the token structure of the
//! bytes passing through, and fails the read as soon as one token passes
//! [`MAX_TOKEN`] bytes. Document type declarations are refused outright: a
//! workbook never has one, and they are how entity-expansion attacks begin.

use std::io::{self, Read};

/// The longest token allowed. Excel caps a cell at 32,767 characters; escaped,
/// that is at most about 200 KB of text.
pub const MAX_TOKEN: usize = 1 << 20;

/// Why a guarded read stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TokenTooLong,
    DocType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    /// Just after `<`; the bytes seen so far decide what kind of markup this is.
    Open,
    Element {
        quote: Option<u8>,
    },
    /// Comment, CDATA or processing instruction, ended by `end`.
    Until {
        end: &'static [u8],
        matched: usize,
    },
}

/// See the module documentation.
pub struct Guard<R> {
    inner: R,
    state: State,
    /// Bytes of markup after `<` while it is being classified (at most 8).
    opening: Vec<u8>,
    token: usize,
    max_token: usize,
    refused: Option<Refusal>,
}

impl<R> Guard<R> {
    pub fn new(inner: R) -> Self {
        Self::with_max(inner, MAX_TOKEN)
    }

    pub fn with_max(inner: R, max_token: usize) -> Self {
        Self { inner, state: State::Text, opening: Vec::with_capacity(8), token: 0, max_token, refused: None }
    }

    /// Why the last read failed, if the guard failed it.
    pub fn refused(&self) -> Option<Refusal> {
        self.refused
    }

    fn refuse(&mut self, why: Refusal) -> io::Error {
        self.refused = Some(why);
        io::Error::new(io::ErrorKind::InvalidData, "xml token refused")
    }

    /// Follows `chunk` through the token structure.
    fn scan(&mut self, chunk: &[u8]) -> Result<(), Refusal> {
        let mut i = 0;
        while i < chunk.len() {
            let rest = &chunk[i..];
            let used = match self.state {
                State::Text => {
                    let found = memchr::memchr(b'<', rest).map(|at| at + 1);
                    self.consume(rest, found, |g, _| g.begin(State::Open))?
                }
                State::Open => self.classify(rest[0])?,
                State::Element { quote: Some(q) } => {
                    let found = memchr::memchr(q, rest).map(|at| at + 1);
                    self.consume(rest, found, |g, _| g.state = State::Element { quote: None })?
                }
                State::Element { quote: None } => {
                    let found = memchr::memchr3(b'>', b'"', b'\'', rest).map(|at| at + 1);
                    self.consume(rest, found, |g, b| {
                        if b == b'>' {
                            g.begin(State::Text);
                        } else {
                            g.state = State::Element { quote: Some(b) };
                        }
                    })?
                }
                State::Until { end, matched } => {
                    self.grow(1)?;
                    let matched = advance(end, matched, rest[0]);
                    if matched == end.len() {
                        self.begin(State::Text);
                    } else {
                        self.state = State::Until { end, matched };
                    }
                    1
                }
            };
            i += used;
        }
        Ok(())
    }

    /// Counts `rest` up to `found` (one past the byte that ends this stretch,
    /// which is handed to `then`), or all of it when the stretch goes on.
    fn consume(
        &mut self,
        rest: &[u8],
        found: Option<usize>,
        then: impl FnOnce(&mut Self, u8),
    ) -> Result<usize, Refusal> {
        let Some(end) = found else {
            self.grow(rest.len())?;
            return Ok(rest.len());
        };
        self.grow(end)?;
        let last = if end == 0 { 0 } else { rest[end - 1] };
        then(self, last);
        Ok(end)
    }

    fn begin(&mut self, state: State) {
        self.state = state;
        self.token = 0;
        self.opening.clear();
    }

    fn grow(&mut self, n: usize) -> Result<(), Refusal> {
        self.token = self.token.saturating_add(n);
        if self.token > self.max_token { Err(Refusal::TokenTooLong) } else { Ok(()) }
    }

    /// Consumes one byte after `<` and decides the markup's kind once it can.
    fn classify(&mut self, b: u8) -> Result<usize, Refusal> {
        const CDATA: &[u8] = b"![CDATA[";
        const COMMENT: &[u8] = b"!--";
        self.grow(1)?;
        self.opening.push(b);
        let seen = self.opening.as_slice();
        self.state = match seen {
            [b'?'] => State::Until { end: b"?>", matched: 0 },
            [first, ..] if *first != b'!' => {
                if b == b'"' || b == b'\'' {
                    State::Element { quote: Some(b) }
                } else if b == b'>' {
                    State::Text
                } else {
                    State::Element { quote: None }
                }
            }
            s if s == COMMENT => State::Until { end: b"-->", matched: 0 },
            s if s == CDATA => State::Until { end: b"]]>", matched: 0 },
            s if COMMENT.starts_with(s) || CDATA.starts_with(s) => State::Open,
            _ => return Err(Refusal::DocType),
        };
        if self.state == State::Text {
            self.token = 0;
        }
        Ok(1)
    }
}

/// How much of `end` is matched after `b`, given `matched` bytes matched before it.
fn advance(end: &[u8], matched: usize, b: u8) -> usize {
    if end.get(matched) == Some(&b) {
        return matched + 1;
    }
    let mut seen = [0u8; 4];
    let n = matched.min(3);
    seen[..n].copy_from_slice(&end[matched - n..matched]);
    seen[n] = b;
    let seen = &seen[..=n];
    (1..=n).rev().find(|&k| end[..k] == seen[seen.len() - k..]).unwrap_or(0)
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(why) = self.refused {
            return Err(self.refuse(why));
        }
        let n = self.inner.read(buf)?;
        if let Err(why) = self.scan(&buf[..n]) {
            return Err(self.refuse(why));
        }
        Ok(n)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Feeds `xml` through a guard in chunks of `step` bytes.
    fn run(xml: &[u8], max: usize, step: usize) -> Result<(), Refusal> {
        let mut g = Guard::with_max(xml, max);
        let mut buf = vec![0u8; step];
        loop {
            match g.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(_) => {}
                Err(_) => return Err(g.refused().unwrap()),
            }
        }
    }

    #[test]
    fn ordinary_parts_pass_in_any_chunking() {
        let xml =
            br#"<?xml version="1.0"?><!-- c > d --><a x="1>2" y='<'><b>text &amp; more</b><![CDATA[ a > b ]]></a>"#;
        for step in [1, 2, 3, 7, 64] {
            assert_eq!(run(xml, 40, step), Ok(()), "step {step}");
        }
    }

    #[test]
    fn a_long_token_of_any_kind_is_refused() {
        let long = "x".repeat(100);
        let cases = [
            format!("<a>{long}</a>"),
            format!("<a b=\"{long}\"/>"),
            format!("<a {long}/>"),
            format!("<!--{long}-->"),
            format!("<![CDATA[{long}]]>"),
            format!("<?pi {long}?>"),
            format!("<a x=\"{}\">", ">".repeat(100)),
        ];
        for xml in &cases {
            for step in [1, 5, 4096] {
                assert_eq!(run(xml.as_bytes(), 60, step), Err(Refusal::TokenTooLong), "{xml} / {step}");
            }
        }
        // The same lengths under the bound pass.
        for xml in &cases {
            assert_eq!(run(xml.as_bytes(), 200, 4096), Ok(()), "{xml}");
        }
    }

    #[test]
    fn a_document_type_is_refused() {
        let xml = b"<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>";
        assert_eq!(run(xml, 1 << 20, 3), Err(Refusal::DocType));
    }

    #[test]
    fn ends_after_repeated_characters_are_found() {
        assert_eq!(run(b"<!-- a ---><a>ok</a>", 12, 1), Ok(()));
        assert_eq!(run(b"<![CDATA[ x ]]]><a>ok</a>", 16, 1), Ok(()));
        assert_eq!(advance(b"-->", 2, b'-'), 2);
        assert_eq!(advance(b"]]>", 2, b'>'), 3);
        assert_eq!(advance(b"?>", 1, b'?'), 1);
    }

    #[test]
    fn many_short_tokens_are_fine() {
        let xml = "<r>".to_owned() + &"<c/>".repeat(10_000) + "</r>";
        assert_eq!(run(xml.as_bytes(), 16, 4096), Ok(()));
    }
}
