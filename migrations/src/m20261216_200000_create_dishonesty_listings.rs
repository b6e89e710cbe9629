//! The serious-dishonesty list (安全生产严重失信主体名单, 部令11号): one row per subject
//! and basis, from the proposal through the notice, the statement, the decision and
//! the listing to its early removal (信用修复) or expiry. `basis_key` is unique, so
//! the records never propose the same subject twice on the same basis.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DishonestyListings {
    Table,
    Id,
    BureauId,
    EnterpriseId,
    SubjectKind,
    SubjectName,
    IdNumber,
    CreditCode,
    Situation,
    BasisKind,
    CaseId,
    AccidentId,
    BasisKey,
    BasisText,
    Status,
    ProposedBy,
    ProposedAt,
    NotifiedBy,
    NotifiedOn,
    StatementUntil,
    NoticeNumber,
    Statement,
    StatementOn,
    DecidedBy,
    DecidedOn,
    DecisionNumber,
    ListedOn,
    Until,
    RefusedBy,
    RefusedReason,
    RemovalStatus,
    RemovalAppliedBy,
    RemovalAppliedOn,
    Commitment,
    RemovalConditions,
    RemovalDecidedBy,
    RemovalReason,
    RemovalNumber,
    RemovedOn,
    RemovalRevokedOn,
    EndedOn,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Bureaus {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use DishonestyListings as L;
        let table = Table::create()
            .table(L::Table)
            .col(big_pk_auto(L::Id))
            .col(big_integer(L::BureauId))
            .col(big_integer_null(L::EnterpriseId))
            .col(string_len(L::SubjectKind, 20))
            .col(string_len(L::SubjectName, 200))
            .col(string_len_null(L::IdNumber, 40))
            .col(string_len_null(L::CreditCode, 40))
            .col(string_len(L::Situation, 20))
            .col(string_len(L::BasisKind, 20))
            .col(big_integer_null(L::CaseId))
            .col(big_integer_null(L::AccidentId))
            .col(string_len(L::BasisKey, 200))
            .col(string_len(L::BasisText, 2000))
            .col(string_len(L::Status, 20))
            .col(big_integer_null(L::ProposedBy))
            .col(timestamp_with_time_zone(L::ProposedAt))
            .col(big_integer_null(L::NotifiedBy))
            .col(date_null(L::NotifiedOn))
            .col(date_null(L::StatementUntil))
            .col(string_len_null(L::NoticeNumber, 80))
            .col(text_null(L::Statement))
            .col(date_null(L::StatementOn))
            .col(big_integer_null(L::DecidedBy))
            .col(date_null(L::DecidedOn))
            .col(string_len_null(L::DecisionNumber, 80))
            .col(date_null(L::ListedOn))
            .col(date_null(L::Until))
            .col(big_integer_null(L::RefusedBy))
            .col(string_len_null(L::RefusedReason, 2000))
            .col(string_len_null(L::RemovalStatus, 20))
            .col(big_integer_null(L::RemovalAppliedBy))
            .col(date_null(L::RemovalAppliedOn))
            .col(text_null(L::Commitment))
            .col(text_null(L::RemovalConditions))
            .col(big_integer_null(L::RemovalDecidedBy))
            .col(string_len_null(L::RemovalReason, 2000))
            .col(string_len_null(L::RemovalNumber, 80))
            .col(date_null(L::RemovedOn))
            .col(date_null(L::RemovalRevokedOn))
            .col(date_null(L::EndedOn))
            .col(timestamp_with_time_zone(L::CreatedAt))
            .col(timestamp_with_time_zone(L::UpdatedAt))
            .foreign_key(ForeignKey::create().from(L::Table, L::BureauId).to(Bureaus::Table, Bureaus::Id))
            .to_owned();
        manager.create_table(table).await?;
        let key = Index::create()
            .name("idx_dishonesty_listings_basis_key")
            .table(L::Table)
            .col(L::BasisKey)
            .unique()
            .to_owned();
        manager.create_index(key).await?;
        let by = Index::create()
            .name("idx_dishonesty_listings_bureau_status")
            .table(L::Table)
            .col(L::BureauId)
            .col(L::Status)
            .to_owned();
        manager.create_index(by).await?;
        // The public list and the expiry job: listed rows by end date.
        let until = Index::create()
            .name("idx_dishonesty_listings_status_until")
            .table(L::Table)
            .col(L::Status)
            .col(L::Until)
            .to_owned();
        manager.create_index(until).await?;
        let of =
            Index::create().name("idx_dishonesty_listings_enterprise").table(L::Table).col(L::EnterpriseId).to_owned();
        manager.create_index(of).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(DishonestyListings::Table).to_owned()).await
    }
}
