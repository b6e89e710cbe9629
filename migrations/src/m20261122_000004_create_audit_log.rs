//! The tamper-evident change log (操作留痕) and its single-row chain head.

use crate::iden::{AuditHead, AuditLog};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The hash the first entry chains from.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_integer(AuditLog::Seq).primary_key())
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(string(AuditLog::Actor))
                    .col(string(AuditLog::Action))
                    .col(string(AuditLog::Entity))
                    .col(string(AuditLog::EntityId))
                    .col(integer(AuditLog::PayloadVersion))
                    .col(string(AuditLog::PayloadSha256))
                    .col(string(AuditLog::PrevHash))
                    .col(string(AuditLog::Hash))
                    .col(string(AuditLog::Alg))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_entity")
                    .table(AuditLog::Table)
                    .col(AuditLog::Entity)
                    .col(AuditLog::EntityId)
                    .col(AuditLog::Seq)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditHead::Table)
                    .col(integer(AuditHead::Id).primary_key())
                    .col(big_integer(AuditHead::Seq))
                    .col(string(AuditHead::Hash))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(AuditHead::Table)
                    .columns([AuditHead::Id, AuditHead::Seq, AuditHead::Hash])
                    .values_panic([1.into(), 0.into(), GENESIS.into()])
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AuditHead::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(AuditLog::Table).to_owned()).await
    }
}
