//! Special-operation certificates (特种作业操作证): the workers an enterprise lists
//! in a special-operation post, with their certificate (absent while they have
//! none yet) and the date the listing ended. The identity number is kept only
//! masked and as a matching digest, never in clear.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum SpecialOperationWorkers {
    Table,
    Id,
    EnterpriseId,
    Name,
    IdNumberMasked,
    IdNumberDigest,
    Category,
    CertificateNo,
    IssuedBy,
    IssuedOn,
    ReviewDue,
    ExpiresOn,
    ListedOn,
    EndedOn,
    EndReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Enterprises {
    Table,
    Id,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

fn workers() -> TableCreateStatement {
    use SpecialOperationWorkers as W;
    Table::create()
        .table(W::Table)
        .col(big_pk_auto(W::Id))
        .col(big_integer(W::EnterpriseId))
        .col(string_len(W::Name, 100))
        .col(string_len(W::IdNumberMasked, 20))
        .col(string_len(W::IdNumberDigest, 64))
        .col(string_len(W::Category, 40))
        .col(string_len_null(W::CertificateNo, 100))
        .col(string_len_null(W::IssuedBy, 200))
        .col(date_null(W::IssuedOn))
        .col(date_null(W::ReviewDue))
        .col(date_null(W::ExpiresOn))
        .col(date(W::ListedOn))
        .col(date_null(W::EndedOn))
        .col(text_null(W::EndReason))
        .col(big_integer(W::CreatedBy))
        .col(timestamp_with_time_zone(W::CreatedAt))
        .col(timestamp_with_time_zone(W::UpdatedAt))
        .foreign_key(ForeignKey::create().from(W::Table, W::EnterpriseId).to(Enterprises::Table, Enterprises::Id))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use SpecialOperationWorkers as W;
        manager.create_table(workers()).await?;
        for (name, cols) in [
            ("ix_special_operation_workers_enterprise", vec![W::EnterpriseId, W::Category]),
            ("ix_special_operation_workers_digest", vec![W::EnterpriseId, W::IdNumberDigest]),
            ("ix_special_operation_workers_expires_on", vec![W::ExpiresOn]),
            ("ix_special_operation_workers_review_due", vec![W::ReviewDue]),
        ] {
            let mut idx = Index::create().name(name).table(W::Table).to_owned();
            for c in cols {
                idx.col(c);
            }
            manager.create_index(idx).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(SpecialOperationWorkers::Table).to_owned()).await
    }
}
