//! sea-orm entities, one per table. Stored enums are plain strings with explicit
//! values (see each domain module); times are UTC, truncated to microseconds.

pub mod activation_code;
pub mod attachment;
pub mod audit_head;
pub mod audit_log;
pub mod bulletin;
pub mod bulletin_item;
pub mod bulletin_proposal;
pub mod bulletin_publication;
pub mod bureau;
pub mod document_number;
pub mod enterprise;
pub mod enterprise_status_history;
pub mod hazard;
pub mod hazard_category;
pub mod hazard_document;
pub mod hazard_event;
pub mod hazard_notice;
pub mod hazard_plan;
pub mod hazard_review;
pub mod hazard_statistic;
pub mod hazard_subject;
pub mod hazard_tally;
pub mod holiday;
pub mod idempotency_key;
pub mod inspection;
pub mod inspection_document;
pub mod inspection_member;
pub mod licence;
pub mod outbox;
pub mod session;
pub mod todo;
pub mod upload_session;
pub mod user;
pub mod user_enterprise;
pub mod user_role;
