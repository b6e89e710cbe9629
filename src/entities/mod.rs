//! sea-orm entities, one per table. Stored enums are plain strings with explicit
//! values (see each domain module); times are UTC, truncated to microseconds.

pub mod activation_code;
pub mod audit_head;
pub mod audit_log;
pub mod bureau;
pub mod enterprise;
pub mod enterprise_status_history;
pub mod licence;
pub mod session;
pub mod todo;
pub mod user;
pub mod user_enterprise;
pub mod user_role;
