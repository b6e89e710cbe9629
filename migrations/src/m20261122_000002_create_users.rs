//! Users, their roles, sessions and one-time activation codes.

use crate::iden::{ActivationCodes, Bureaus, Sessions, UserRoles, Users};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(string_uniq(Users::Username))
                    .col(string(Users::PasswordHash))
                    .col(string(Users::DisplayName))
                    .col(big_integer_null(Users::BureauId))
                    .col(string_null(Users::Email))
                    .col(string_null(Users::CertificateNo))
                    .col(date_null(Users::CertificateValidUntil))
                    .col(string_null(Users::Sectors))
                    .col(boolean(Users::MustChangePassword))
                    .col(boolean(Users::Disabled))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create().from(Users::Table, Users::BureauId).to(Bureaus::Table, Bureaus::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UserRoles::Table)
                    .col(big_integer(UserRoles::UserId))
                    .col(string(UserRoles::Role))
                    .primary_key(Index::create().col(UserRoles::UserId).col(UserRoles::Role))
                    .foreign_key(
                        ForeignKey::create().from(UserRoles::Table, UserRoles::UserId).to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(big_pk_auto(Sessions::Id))
                    .col(string_uniq(Sessions::TokenHash))
                    .col(big_integer(Sessions::UserId))
                    .col(string(Sessions::CsrfToken))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create().from(Sessions::Table, Sessions::UserId).to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ActivationCodes::Table)
                    .col(big_pk_auto(ActivationCodes::Id))
                    .col(big_integer(ActivationCodes::UserId))
                    .col(string_uniq(ActivationCodes::CodeHash))
                    .col(timestamp_with_time_zone(ActivationCodes::CreatedAt))
                    .col(timestamp_with_time_zone(ActivationCodes::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ActivationCodes::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ActivationCodes::Table, ActivationCodes::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ActivationCodes::Table.into_iden(),
            Sessions::Table.into_iden(),
            UserRoles::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
