//! Results and publication of the double-random draw (一公开), issue 12:
//! - `draw_publications`: what was put on the public site for one drawn task — the
//!   category, the enterprise (name and credit code as published), the bureau and
//!   the dates, frozen at publication. A correction after publication is a new row
//!   naming the one it supersedes; nothing is updated in place but the link.
//! - `spot_check_items`: a bureau's own random spot-check items (抽查事项清单) beside
//!   the shipped national defaults; withdrawn, never deleted.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DrawPublications {
    Table,
    Id,
    DrawId,
    TaskId,
    BureauId,
    EnterpriseId,
    EnterpriseName,
    CreditCode,
    Result,
    ResultOn,
    PublishedOn,
    PublishedAt,
    PublishedBy,
    SupersedesId,
    SupersededById,
}

#[derive(DeriveIden)]
enum SpotCheckItems {
    Table,
    Id,
    BureauId,
    Subject,
    Object,
    Matter,
    Basis,
    Content,
    Method,
    Frequency,
    CreatedBy,
    CreatedAt,
    WithdrawnAt,
    WithdrawnBy,
    WithdrawReason,
}

fn publications() -> TableCreateStatement {
    use DrawPublications as P;
    Table::create()
        .table(P::Table)
        .col(big_pk_auto(P::Id))
        .col(big_integer(P::DrawId))
        .col(big_integer(P::TaskId))
        .col(big_integer(P::BureauId))
        .col(big_integer(P::EnterpriseId))
        .col(string_len(P::EnterpriseName, 200))
        .col(string_len(P::CreditCode, 40))
        .col(string_len(P::Result, 40))
        .col(date(P::ResultOn))
        .col(date(P::PublishedOn))
        .col(timestamp_with_time_zone(P::PublishedAt))
        .col(big_integer(P::PublishedBy))
        .col(big_integer_null(P::SupersedesId))
        .col(big_integer_null(P::SupersededById))
        .to_owned()
}

fn items() -> TableCreateStatement {
    use SpotCheckItems as S;
    Table::create()
        .table(S::Table)
        .col(big_pk_auto(S::Id))
        .col(big_integer(S::BureauId))
        .col(string_len(S::Subject, 200))
        .col(string_len(S::Object, 500))
        .col(string_len(S::Matter, 200))
        .col(text(S::Basis))
        .col(text(S::Content))
        .col(string_len(S::Method, 100))
        .col(string_len(S::Frequency, 200))
        .col(big_integer(S::CreatedBy))
        .col(timestamp_with_time_zone(S::CreatedAt))
        .col(timestamp_with_time_zone_null(S::WithdrawnAt))
        .col(big_integer_null(S::WithdrawnBy))
        .col(text_null(S::WithdrawReason))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use DrawPublications as P;
        manager.create_table(publications()).await?;
        let by_day =
            Index::create().name("idx_draw_publications_day").table(P::Table).col(P::PublishedOn).col(P::Id).to_owned();
        manager.create_index(by_day).await?;
        let by_task = Index::create().name("idx_draw_publications_task").table(P::Table).col(P::TaskId).to_owned();
        manager.create_index(by_task).await?;
        let by_draw = Index::create().name("idx_draw_publications_draw").table(P::Table).col(P::DrawId).to_owned();
        manager.create_index(by_draw).await?;
        manager.create_table(items()).await?;
        let by_bureau = Index::create()
            .name("idx_spot_check_items_bureau")
            .table(SpotCheckItems::Table)
            .col(SpotCheckItems::BureauId)
            .to_owned();
        manager.create_index(by_bureau).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(SpotCheckItems::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(DrawPublications::Table).to_owned()).await
    }
}
