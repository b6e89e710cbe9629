//! Resumable uploads in progress (and, for a day after, their receipts): one
//! row per declared file, owned by its user. The bytes live in a partial file
//! named by `token` under the files directory; `received` is how many of them
//! are durably written, and `writing_until` is the lease of the one request
//! appending a chunk. `attachment_id` is set when the file is complete.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UploadSessions {
    Table,
    Id,
    Token,
    UserId,
    FileName,
    Size,
    DeclaredSha256,
    Sha256,
    Received,
    WritingUntil,
    CapturedAt,
    Latitude,
    Longitude,
    AccuracyM,
    PositionUnavailable,
    Device,
    CreatedAt,
    ExpiresAt,
    AttachmentId,
}

fn table() -> TableCreateStatement {
    Table::create()
        .table(UploadSessions::Table)
        .col(big_pk_auto(UploadSessions::Id))
        .col(string_uniq(UploadSessions::Token))
        .col(big_integer(UploadSessions::UserId))
        .col(string(UploadSessions::FileName))
        .col(big_integer(UploadSessions::Size))
        .col(string_null(UploadSessions::DeclaredSha256))
        .col(string_null(UploadSessions::Sha256))
        .col(big_integer(UploadSessions::Received))
        .col(timestamp_with_time_zone_null(UploadSessions::WritingUntil))
        .col(timestamp_with_time_zone_null(UploadSessions::CapturedAt))
        .col(double_null(UploadSessions::Latitude))
        .col(double_null(UploadSessions::Longitude))
        .col(double_null(UploadSessions::AccuracyM))
        .col(boolean(UploadSessions::PositionUnavailable))
        .col(string_null(UploadSessions::Device))
        .col(timestamp_with_time_zone(UploadSessions::CreatedAt))
        .col(timestamp_with_time_zone(UploadSessions::ExpiresAt))
        .col(big_integer_null(UploadSessions::AttachmentId))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(table()).await?;
        for (name, col) in [
            ("idx_upload_sessions_user", UploadSessions::UserId),
            ("idx_upload_sessions_expiry", UploadSessions::ExpiresAt),
        ] {
            manager.create_index(Index::create().name(name).table(UploadSessions::Table).col(col).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(UploadSessions::Table).to_owned()).await
    }
}
