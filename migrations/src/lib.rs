//! Database schema migrations for anjian: one change per file, never edited once landed.
// Migrations are declarative schema: the builder prelude is meant to be glob-imported,
// and a table definition reads best in one piece.
#![allow(clippy::wildcard_imports, clippy::too_many_lines)]

pub use sea_orm_migration::prelude::*;

mod iden;
mod m20261122_000001_create_bureaus;
mod m20261122_000002_create_users;
mod m20261122_000003_create_enterprises;
mod m20261122_000004_create_audit_log;
mod m20261122_000005_create_todos;
mod m20261122_000006_add_enterprise_sector_index;
mod m20261122_000007_create_outbox;
mod m20261122_000008_create_holidays;
mod m20261122_000009_create_hazards;
mod m20261122_000010_create_bulletins;
mod m20261203_000011_create_hazard_tallies;
mod m20261203_000012_create_hazard_statistics;
mod m20261203_000013_add_open_major_index;
mod m20261205_110000_move_attachments_to_owners;
mod m20261205_110100_create_upload_sessions;
mod m20261205_120000_create_idempotency_keys;
mod m20261205_130000_move_hazard_steps_to_columns;
mod m20261206_100000_add_hazard_origin_and_people;
mod m20261206_110000_complete_major_hazard_loop;
mod m20261206_120000_create_documents_and_bulletin_items;
mod m20261206_130000_add_todo_due_on;
mod m20261206_130100_add_hazard_merged_into;
mod m20261206_130200_add_category_province;
mod m20261206_130300_add_username_lower_index;
mod m20261207_100000_create_inspections;
mod m20261207_110000_create_checklist_versions;
mod m20261207_120000_create_inspector_register;
mod m20261207_130000_create_inspection_records;
mod m20261207_140000_create_self_inspection;
mod m20261208_100000_create_draws;
mod m20261208_110000_create_annual_plans;
mod m20261208_120000_create_draw_publications;
mod m20261209_100000_create_draw_pools;
mod m20261210_100000_add_result_versions;
mod m20261211_100000_add_session_devices;
mod m20261211_100100_add_original_hashes;
mod m20261212_100000_create_risk_points;
mod m20261212_110000_create_accidents;
mod m20261213_100000_create_enterprise_grading;
mod m20261213_200000_add_risk_point_positions;
mod m20261213_200100_create_site_plans;
mod m20261213_300000_create_accident_followups;
mod m20261213_300100_add_accident_operator_credit_code;
mod m20261214_100000_index_hazards_risk_point;
mod m20261214_200000_create_cases;
mod m20261214_300000_add_case_publication;
mod m20261215_100000_index_cases_bureau_status_updated;
mod m20261216_100000_create_insurance;
mod m20261216_200000_create_dishonesty_listings;
mod m20261216_300000_create_credit;
mod m20261217_100000_create_insurance_services;
mod m20261219_100000_index_coverage_versions;
mod m20261220_100000_create_emergency_plans;
mod m20261220_200000_create_special_operations;
mod m20261220_300000_create_indicator_inputs;
mod m20261220_400000_create_indicator_values;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_bureaus::Migration),
            Box::new(m20261122_000002_create_users::Migration),
            Box::new(m20261122_000003_create_enterprises::Migration),
            Box::new(m20261122_000004_create_audit_log::Migration),
            Box::new(m20261122_000005_create_todos::Migration),
            Box::new(m20261122_000006_add_enterprise_sector_index::Migration),
            Box::new(m20261122_000007_create_outbox::Migration),
            Box::new(m20261122_000008_create_holidays::Migration),
            Box::new(m20261122_000009_create_hazards::Migration),
            Box::new(m20261122_000010_create_bulletins::Migration),
            Box::new(m20261203_000011_create_hazard_tallies::Migration),
            Box::new(m20261203_000012_create_hazard_statistics::Migration),
            Box::new(m20261203_000013_add_open_major_index::Migration),
            Box::new(m20261205_110000_move_attachments_to_owners::Migration),
            Box::new(m20261205_110100_create_upload_sessions::Migration),
            Box::new(m20261205_120000_create_idempotency_keys::Migration),
            Box::new(m20261205_130000_move_hazard_steps_to_columns::Migration),
            Box::new(m20261206_100000_add_hazard_origin_and_people::Migration),
            Box::new(m20261206_120000_create_documents_and_bulletin_items::Migration),
            Box::new(m20261206_110000_complete_major_hazard_loop::Migration),
            Box::new(m20261206_130000_add_todo_due_on::Migration),
            Box::new(m20261206_130100_add_hazard_merged_into::Migration),
            Box::new(m20261206_130200_add_category_province::Migration),
            Box::new(m20261206_130300_add_username_lower_index::Migration),
            Box::new(m20261207_100000_create_inspections::Migration),
            Box::new(m20261207_110000_create_checklist_versions::Migration),
            Box::new(m20261207_120000_create_inspector_register::Migration),
            Box::new(m20261207_130000_create_inspection_records::Migration),
            Box::new(m20261207_140000_create_self_inspection::Migration),
            Box::new(m20261208_100000_create_draws::Migration),
            Box::new(m20261208_110000_create_annual_plans::Migration),
            Box::new(m20261208_120000_create_draw_publications::Migration),
            Box::new(m20261209_100000_create_draw_pools::Migration),
            Box::new(m20261210_100000_add_result_versions::Migration),
            Box::new(m20261211_100000_add_session_devices::Migration),
            Box::new(m20261211_100100_add_original_hashes::Migration),
            Box::new(m20261212_100000_create_risk_points::Migration),
            Box::new(m20261212_110000_create_accidents::Migration),
            Box::new(m20261213_100000_create_enterprise_grading::Migration),
            Box::new(m20261213_200000_add_risk_point_positions::Migration),
            Box::new(m20261213_200100_create_site_plans::Migration),
            Box::new(m20261213_300000_create_accident_followups::Migration),
            Box::new(m20261213_300100_add_accident_operator_credit_code::Migration),
            Box::new(m20261214_100000_index_hazards_risk_point::Migration),
            Box::new(m20261214_200000_create_cases::Migration),
            Box::new(m20261214_300000_add_case_publication::Migration),
            Box::new(m20261215_100000_index_cases_bureau_status_updated::Migration),
            Box::new(m20261216_100000_create_insurance::Migration),
            Box::new(m20261216_200000_create_dishonesty_listings::Migration),
            Box::new(m20261216_300000_create_credit::Migration),
            Box::new(m20261217_100000_create_insurance_services::Migration),
            Box::new(m20261219_100000_index_coverage_versions::Migration),
            Box::new(m20261220_100000_create_emergency_plans::Migration),
            Box::new(m20261220_200000_create_special_operations::Migration),
            Box::new(m20261220_300000_create_indicator_inputs::Migration),
            Box::new(m20261220_400000_create_indicator_values::Migration),
        ]
    }
}
