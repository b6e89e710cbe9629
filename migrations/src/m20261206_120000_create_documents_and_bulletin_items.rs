//! Printable documents and the 通报 of each major hazard:
//! - `document_numbers`: one counter per (bureau, kind, year), the next number to issue;
//! - `hazard_documents`: the number issued for a (hazard, kind), once, so a reprint shows it again;
//! - `bulletin_items`: the major hazards an internal bulletin lists (its 通报 of them);
//! - `bulletin_proposals`: a regulator's proposal to publish items, decided by an approver.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DocumentNumbers {
    Table,
    BureauId,
    Kind,
    Year,
    Next,
}

#[derive(DeriveIden)]
enum HazardDocuments {
    Table,
    Id,
    HazardId,
    Kind,
    BureauId,
    Number,
    IssuedAt,
    IssuedBy,
}

#[derive(DeriveIden)]
enum BulletinItems {
    Table,
    Id,
    BulletinId,
    HazardId,
}

#[derive(DeriveIden)]
enum BulletinProposals {
    Table,
    Id,
    BulletinId,
    HazardIds,
    ProposedBy,
    ProposedAt,
    DecidedBy,
    DecidedAt,
    Approved,
}

#[derive(DeriveIden)]
enum Bureaus {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Hazards {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Bulletins {
    Table,
    Id,
}

fn fk(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).to_owned()
}

fn unique(name: &str, table: impl IntoIden, cols: Vec<DynIden>) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table).unique();
    for c in cols {
        i.col(c);
    }
    i
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use DocumentNumbers as N;
        use HazardDocuments as D;
        manager
            .create_table(
                Table::create()
                    .table(N::Table)
                    .col(big_integer(N::BureauId))
                    .col(string_len(N::Kind, 40))
                    .col(integer(N::Year))
                    .col(big_integer(N::Next))
                    .primary_key(Index::create().col(N::BureauId).col(N::Kind).col(N::Year))
                    .foreign_key(&mut fk((N::Table, N::BureauId), (Bureaus::Table, Bureaus::Id)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(big_pk_auto(D::Id))
                    .col(big_integer(D::HazardId))
                    .col(string_len(D::Kind, 40))
                    .col(big_integer(D::BureauId))
                    .col(string_len(D::Number, 200))
                    .col(timestamp_with_time_zone(D::IssuedAt))
                    .col(big_integer_null(D::IssuedBy))
                    .foreign_key(&mut fk((D::Table, D::HazardId), (Hazards::Table, Hazards::Id)))
                    .foreign_key(&mut fk((D::Table, D::BureauId), (Bureaus::Table, Bureaus::Id)))
                    .to_owned(),
            )
            .await?;
        let once = unique("idx_hazard_documents_once", D::Table, vec![D::HazardId.into_iden(), D::Kind.into_iden()]);
        manager.create_index(once).await?;
        manager.create_index(unique("idx_hazard_documents_number", D::Table, vec![D::Number.into_iden()])).await?;
        self.bulletins(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            BulletinProposals::Table.into_iden(),
            BulletinItems::Table.into_iden(),
            HazardDocuments::Table.into_iden(),
            DocumentNumbers::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

impl Migration {
    async fn bulletins(&self, manager: &SchemaManager<'_>) -> Result<(), DbErr> {
        use BulletinItems as I;
        use BulletinProposals as P;
        manager
            .create_table(
                Table::create()
                    .table(I::Table)
                    .col(big_pk_auto(I::Id))
                    .col(big_integer(I::BulletinId))
                    .col(big_integer(I::HazardId))
                    .foreign_key(&mut fk((I::Table, I::BulletinId), (Bulletins::Table, Bulletins::Id)))
                    .to_owned(),
            )
            .await?;
        let items =
            unique("idx_bulletin_items_hazard", I::Table, vec![I::HazardId.into_iden(), I::BulletinId.into_iden()]);
        manager.create_index(items).await?;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(big_pk_auto(P::Id))
                    .col(big_integer(P::BulletinId))
                    .col(text(P::HazardIds))
                    .col(big_integer(P::ProposedBy))
                    .col(timestamp_with_time_zone(P::ProposedAt))
                    .col(big_integer_null(P::DecidedBy))
                    .col(timestamp_with_time_zone_null(P::DecidedAt))
                    .col(boolean_null(P::Approved))
                    .foreign_key(&mut fk((P::Table, P::BulletinId), (Bulletins::Table, Bulletins::Id)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_bulletin_proposals_bulletin").table(P::Table).col(P::BulletinId).to_owned(),
            )
            .await
    }
}
