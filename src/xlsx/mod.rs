//! Spreadsheets: a safe, streaming reader for what clerks upload.

pub mod read;
