//! The integration tests: one binary, the real router on a fresh database per test.

mod helpers;

mod audit;
mod auth;
mod browser;
mod cli;
mod enterprises;
mod import;
mod roles;
