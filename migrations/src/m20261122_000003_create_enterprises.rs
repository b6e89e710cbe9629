//! The enterprise register (企业名录库): enterprises, status history, licences, user links.

use crate::iden::{Bureaus, EnterpriseStatusHistory, Enterprises, Licences, UserEnterprises, Users};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn enterprises() -> TableCreateStatement {
    Table::create()
        .table(Enterprises::Table)
        .col(big_pk_auto(Enterprises::Id))
        .col(string_uniq(Enterprises::CreditCode))
        .col(string(Enterprises::Name))
        .col(string(Enterprises::Sector))
        .col(string(Enterprises::SubTypes))
        .col(string(Enterprises::SpecialTopics))
        .col(string(Enterprises::RegionCode))
        .col(big_integer(Enterprises::SupervisingBureauId))
        .col(string_null(Enterprises::Address))
        .col(string_null(Enterprises::LegalRepresentative))
        .col(string_null(Enterprises::Principal))
        .col(string_null(Enterprises::Phone))
        .col(string_null(Enterprises::Email))
        .col(integer_null(Enterprises::Employees))
        .col(boolean_null(Enterprises::AboveDesignatedSize))
        .col(string_null(Enterprises::MajorHazardGrade))
        .col(string(Enterprises::StandardizationGrade))
        .col(date_null(Enterprises::StandardizationDate))
        .col(double_null(Enterprises::Longitude))
        .col(double_null(Enterprises::Latitude))
        .col(string(Enterprises::Status))
        .col(integer(Enterprises::Version))
        .col(timestamp_with_time_zone(Enterprises::CreatedAt))
        .col(timestamp_with_time_zone(Enterprises::UpdatedAt))
        .foreign_key(
            ForeignKey::create()
                .from(Enterprises::Table, Enterprises::SupervisingBureauId)
                .to(Bureaus::Table, Bureaus::Id),
        )
        .to_owned()
}

fn status_history() -> TableCreateStatement {
    Table::create()
        .table(EnterpriseStatusHistory::Table)
        .col(big_pk_auto(EnterpriseStatusHistory::Id))
        .col(big_integer(EnterpriseStatusHistory::EnterpriseId))
        .col(string(EnterpriseStatusHistory::Status))
        .col(string_null(EnterpriseStatusHistory::PreviousStatus))
        .col(string_null(EnterpriseStatusHistory::Reason))
        .col(big_integer_null(EnterpriseStatusHistory::ActorId))
        .col(timestamp_with_time_zone(EnterpriseStatusHistory::ChangedAt))
        .foreign_key(
            ForeignKey::create()
                .from(EnterpriseStatusHistory::Table, EnterpriseStatusHistory::EnterpriseId)
                .to(Enterprises::Table, Enterprises::Id),
        )
        .to_owned()
}

fn licences() -> TableCreateStatement {
    Table::create()
        .table(Licences::Table)
        .col(big_pk_auto(Licences::Id))
        .col(big_integer(Licences::EnterpriseId))
        .col(string(Licences::LicenceType))
        .col(string(Licences::Number))
        .col(string_null(Licences::Issuer))
        .col(date_null(Licences::ValidFrom))
        .col(date_null(Licences::ValidTo))
        .col(timestamp_with_time_zone(Licences::CreatedAt))
        .col(timestamp_with_time_zone(Licences::UpdatedAt))
        .foreign_key(
            ForeignKey::create().from(Licences::Table, Licences::EnterpriseId).to(Enterprises::Table, Enterprises::Id),
        )
        .to_owned()
}

fn user_enterprises() -> TableCreateStatement {
    Table::create()
        .table(UserEnterprises::Table)
        .col(big_integer(UserEnterprises::UserId))
        .col(big_integer(UserEnterprises::EnterpriseId))
        .primary_key(Index::create().col(UserEnterprises::UserId).col(UserEnterprises::EnterpriseId))
        .foreign_key(
            ForeignKey::create().from(UserEnterprises::Table, UserEnterprises::UserId).to(Users::Table, Users::Id),
        )
        .foreign_key(
            ForeignKey::create()
                .from(UserEnterprises::Table, UserEnterprises::EnterpriseId)
                .to(Enterprises::Table, Enterprises::Id),
        )
        .to_owned()
}

fn index(name: &str, table: impl IntoIden, cols: Vec<Enterprises>) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(col);
    }
    stmt.clone()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(enterprises()).await?;
        for stmt in [
            index(
                "idx_enterprises_bureau_sector",
                Enterprises::Table,
                vec![Enterprises::SupervisingBureauId, Enterprises::Sector, Enterprises::Id],
            ),
            index(
                "idx_enterprises_region_sector",
                Enterprises::Table,
                vec![Enterprises::RegionCode, Enterprises::Sector, Enterprises::Id],
            ),
        ] {
            manager.create_index(stmt).await?;
        }
        manager.create_table(status_history()).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_status_history_enterprise")
                    .table(EnterpriseStatusHistory::Table)
                    .col(EnterpriseStatusHistory::EnterpriseId)
                    .to_owned(),
            )
            .await?;
        manager.create_table(licences()).await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_licences_enterprise_type_number")
                    .table(Licences::Table)
                    .col(Licences::EnterpriseId)
                    .col(Licences::LicenceType)
                    .col(Licences::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager.create_table(user_enterprises()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            UserEnterprises::Table.into_iden(),
            Licences::Table.into_iden(),
            EnterpriseStatusHistory::Table.into_iden(),
            Enterprises::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
