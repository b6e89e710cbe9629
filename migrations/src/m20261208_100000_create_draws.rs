//! The double-random draw (双随机), issue 12:
//! - `draws`: one draw of a bureau — its filter and request, the frozen pools
//!   (`pool`: canonical JSON of the proof's inputs, see `src/draw/SAMPLER.md`; moved
//!   to `draw_pools` by `m20261209_100000_create_draw_pools`), the
//!   hashes fixed at commitment, the commitment to the secret (and the secret the
//!   server holds until execution, when it chose it), and after execution the
//!   revealed secret, the public entropy and the seed. Redraws link to the draw they
//!   supersede; nothing is deleted.
//! - `draw_tasks`: one drawn enterprise with its team (certificate numbers and user
//!   ids in pick order), the inspection created for it, and its published result
//!   (一公开).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Draws {
    Table,
    Id,
    BureauId,
    Title,
    Status,
    IncludeSubordinates,
    Filter,
    Request,
    PlannedDate,
    PlanId,
    SupersedesId,
    RedrawReason,
    SupersededById,
    Pool,
    Algorithm,
    HashAlg,
    PoolHash,
    EnterprisesHash,
    InspectorsHash,
    ExclusionsHash,
    ParametersHash,
    InspectorIdsHash,
    Commitment,
    SecretMode,
    HeldSecret,
    Secret,
    PublicEntropy,
    Seed,
    EnterpriseCount,
    InspectorCount,
    SampleCount,
    UnstaffedCount,
    CreatedBy,
    CommittedAt,
    ExecutedBy,
    ExecutedAt,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DrawTasks {
    Table,
    Id,
    DrawId,
    Seq,
    EnterpriseId,
    CreditCode,
    CertificateNos,
    InspectorIds,
    InspectionId,
    Result,
    ResultNote,
    ResultBy,
    ResultAt,
    PublishedAt,
    PublishedBy,
    Version,
    UpdatedAt,
}

fn draws() -> TableCreateStatement {
    use Draws as D;
    Table::create()
        .table(D::Table)
        .col(big_pk_auto(D::Id))
        .col(big_integer(D::BureauId))
        .col(string_len(D::Title, 200))
        .col(string_len(D::Status, 20))
        .col(boolean(D::IncludeSubordinates))
        .col(text(D::Filter))
        .col(text(D::Request))
        .col(date(D::PlannedDate))
        .col(big_integer_null(D::PlanId))
        .col(big_integer_null(D::SupersedesId))
        .col(text_null(D::RedrawReason))
        .col(big_integer_null(D::SupersededById))
        .col(text(D::Pool))
        .col(string_len(D::Algorithm, 40))
        .col(string_len(D::HashAlg, 20))
        .col(string_len(D::PoolHash, 64))
        .col(string_len(D::EnterprisesHash, 64))
        .col(string_len(D::InspectorsHash, 64))
        .col(string_len(D::ExclusionsHash, 64))
        .col(string_len(D::ParametersHash, 64))
        .col(string_len(D::InspectorIdsHash, 64))
        .col(string_len(D::Commitment, 64))
        .col(string_len(D::SecretMode, 20))
        .col(string_len_null(D::HeldSecret, 200))
        .col(string_len_null(D::Secret, 200))
        .col(string_len_null(D::PublicEntropy, 200))
        .col(string_len_null(D::Seed, 64))
        .col(integer(D::EnterpriseCount))
        .col(integer(D::InspectorCount))
        .col(integer(D::SampleCount))
        .col(integer(D::UnstaffedCount))
        .col(big_integer(D::CreatedBy))
        .col(timestamp_with_time_zone(D::CommittedAt))
        .col(big_integer_null(D::ExecutedBy))
        .col(timestamp_with_time_zone_null(D::ExecutedAt))
        .col(integer(D::Version))
        .col(timestamp_with_time_zone(D::UpdatedAt))
        .to_owned()
}

fn tasks() -> TableCreateStatement {
    use DrawTasks as T;
    Table::create()
        .table(T::Table)
        .col(big_pk_auto(T::Id))
        .col(big_integer(T::DrawId))
        .col(integer(T::Seq))
        .col(big_integer(T::EnterpriseId))
        .col(string_len(T::CreditCode, 40))
        .col(text(T::CertificateNos))
        .col(text(T::InspectorIds))
        .col(big_integer_null(T::InspectionId))
        .col(string_len_null(T::Result, 40))
        .col(text_null(T::ResultNote))
        .col(big_integer_null(T::ResultBy))
        .col(timestamp_with_time_zone_null(T::ResultAt))
        .col(timestamp_with_time_zone_null(T::PublishedAt))
        .col(big_integer_null(T::PublishedBy))
        .col(integer(T::Version))
        .col(timestamp_with_time_zone(T::UpdatedAt))
        .foreign_key(ForeignKey::create().from(T::Table, T::DrawId).to(Draws::Table, Draws::Id))
        .to_owned()
}

fn index(name: &str, table: impl IntoIden, cols: Vec<DynIden>, unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    if unique {
        i.unique();
    }
    for c in cols {
        i.col(c);
    }
    i
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(draws()).await?;
        let by = vec![Draws::BureauId.into_iden(), Draws::CommittedAt.into_iden()];
        manager.create_index(index("idx_draws_bureau", Draws::Table, by, false)).await?;
        manager.create_table(tasks()).await?;
        let by = vec![DrawTasks::DrawId.into_iden(), DrawTasks::Seq.into_iden()];
        manager.create_index(index("idx_draw_tasks_seq", DrawTasks::Table, by, true)).await?;
        let by = vec![DrawTasks::EnterpriseId.into_iden()];
        manager.create_index(index("idx_draw_tasks_enterprise", DrawTasks::Table, by, false)).await?;
        let by = vec![DrawTasks::InspectionId.into_iden()];
        manager.create_index(index("idx_draw_tasks_inspection", DrawTasks::Table, by, false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(DrawTasks::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Draws::Table).to_owned()).await
    }
}
