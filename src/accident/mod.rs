//! Production-safety accidents (生产安全事故). So far the legal grade and the types
//! ([`domain`]); the register follows.

pub mod domain;
