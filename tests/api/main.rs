//! The integration tests: one binary, the real router on a fresh database per test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc, clippy::too_many_lines)]

mod helpers;

mod attachments;
mod audit;
mod auth;
mod bad_params;
mod browser;
mod bulletins;
mod calendar;
mod categories;
mod cli;
mod closed_loop;
mod corrections;
mod crash;
mod documents;
mod edges;
mod enterprises;
mod hazard_browser;
mod hazard_import;
mod hazards;
mod hostile;
mod idempotency;
mod import;
mod inspection_fixture;
mod inspection_record;
mod jobs;
mod ledger_browser;
mod ledger_rules;
mod ledger_search;
mod limits;
mod mail;
mod observability;
mod page_audit;
mod page_steps;
mod pages;
mod policy;
mod process;
mod roles;
mod startup;
mod statistics;
mod storage;
mod todos;
mod usernames;
mod webdriver;
mod write_path;
