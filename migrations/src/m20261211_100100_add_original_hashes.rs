//! A photo resized on the capturing device keeps the SHA-256 of its original
//! (the device keeps the original; the server keeps its hash next to the file).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Attachments {
    Table,
    OriginalSha256,
}

#[derive(DeriveIden)]
enum UploadSessions {
    Table,
    OriginalSha256,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let a = Table::alter()
            .table(Attachments::Table)
            .add_column(string_len_null(Attachments::OriginalSha256, 64))
            .to_owned();
        manager.alter_table(a).await?;
        let u = Table::alter()
            .table(UploadSessions::Table)
            .add_column(string_len_null(UploadSessions::OriginalSha256, 64))
            .to_owned();
        manager.alter_table(u).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let a = Table::alter().table(Attachments::Table).drop_column(Attachments::OriginalSha256).to_owned();
        manager.alter_table(a).await?;
        let u = Table::alter().table(UploadSessions::Table).drop_column(UploadSessions::OriginalSha256).to_owned();
        manager.alter_table(u).await
    }
}
