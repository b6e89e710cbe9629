//! The register of enforcement inspectors and the inspections' governance, issue 11:
//! - `users.specialties`: an inspector's specialties (危化 / 烟花爆竹 / 非煤矿山 / 工贸),
//!   comma-separated sector codes (`users.sectors` limits a user's scope, it is not this);
//! - `inspector_absences`: when an inspector is unavailable (休假 / 培训 / 其他), from–to inclusive;
//! - `inspector_conflicts`: conflicts of interest (回避) between an inspector and an
//!   enterprise, declared and withdrawn by a regulator (a withdrawn one is kept);
//! - `enterprises.supervision_class`: the enterprise's supervision class for the
//!   yearly inspection cap (NULL: the configured default class until risk grading sets it);
//! - `inspection_document_numbers`: the 执法文书 counter per (bureau, type, year);
//! - `bureau_settings`: a bureau's own settings, first the 救济告知 printed on its documents.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Specialties,
}

#[derive(DeriveIden)]
enum Enterprises {
    Table,
    Id,
    SupervisionClass,
}

#[derive(DeriveIden)]
enum Bureaus {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum InspectorAbsences {
    Table,
    Id,
    UserId,
    FromDate,
    ToDate,
    Kind,
    Note,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum InspectorConflicts {
    Table,
    Id,
    UserId,
    EnterpriseId,
    Reason,
    DeclaredBy,
    DeclaredAt,
    WithdrawnAt,
    WithdrawnBy,
}

#[derive(DeriveIden)]
enum InspectionDocumentNumbers {
    Table,
    BureauId,
    Kind,
    Year,
    Next,
}

#[derive(DeriveIden)]
enum BureauSettings {
    Table,
    BureauId,
    ReliefNotice,
    UpdatedBy,
    UpdatedAt,
}

fn fk(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use BureauSettings as S;
        use InspectionDocumentNumbers as N;
        let users = Table::alter().table(Users::Table).add_column(text_null(Users::Specialties)).to_owned();
        manager.alter_table(users).await?;
        let class = string_len_null(Enterprises::SupervisionClass, 40);
        manager.alter_table(Table::alter().table(Enterprises::Table).add_column(class).to_owned()).await?;
        self.absences(manager).await?;
        self.conflicts(manager).await?;
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
                    .table(S::Table)
                    .col(big_integer(S::BureauId).primary_key())
                    .col(text_null(S::ReliefNotice))
                    .col(big_integer(S::UpdatedBy))
                    .col(timestamp_with_time_zone(S::UpdatedAt))
                    .foreign_key(&mut fk((S::Table, S::BureauId), (Bureaus::Table, Bureaus::Id)))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            BureauSettings::Table.into_iden(),
            InspectionDocumentNumbers::Table.into_iden(),
            InspectorConflicts::Table.into_iden(),
            InspectorAbsences::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        let class = Table::alter().table(Enterprises::Table).drop_column(Enterprises::SupervisionClass).to_owned();
        manager.alter_table(class).await?;
        manager.alter_table(Table::alter().table(Users::Table).drop_column(Users::Specialties).to_owned()).await
    }
}

impl Migration {
    async fn absences(&self, manager: &SchemaManager<'_>) -> Result<(), DbErr> {
        use InspectorAbsences as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(big_pk_auto(A::Id))
                    .col(big_integer(A::UserId))
                    .col(date(A::FromDate))
                    .col(date(A::ToDate))
                    .col(string_len(A::Kind, 20))
                    .col(text_null(A::Note))
                    .col(big_integer(A::CreatedBy))
                    .col(timestamp_with_time_zone(A::CreatedAt))
                    .foreign_key(&mut fk((A::Table, A::UserId), (Users::Table, Users::Id)))
                    .to_owned(),
            )
            .await?;
        let idx = Index::create()
            .name("idx_inspector_absences_user")
            .table(A::Table)
            .col(A::UserId)
            .col(A::FromDate)
            .to_owned();
        manager.create_index(idx).await
    }

    async fn conflicts(&self, manager: &SchemaManager<'_>) -> Result<(), DbErr> {
        use InspectorConflicts as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(big_pk_auto(C::Id))
                    .col(big_integer(C::UserId))
                    .col(big_integer(C::EnterpriseId))
                    .col(text(C::Reason))
                    .col(big_integer(C::DeclaredBy))
                    .col(timestamp_with_time_zone(C::DeclaredAt))
                    .col(timestamp_with_time_zone_null(C::WithdrawnAt))
                    .col(big_integer_null(C::WithdrawnBy))
                    .foreign_key(&mut fk((C::Table, C::UserId), (Users::Table, Users::Id)))
                    .foreign_key(&mut fk((C::Table, C::EnterpriseId), (Enterprises::Table, Enterprises::Id)))
                    .to_owned(),
            )
            .await?;
        let idx = Index::create()
            .name("idx_inspector_conflicts_user")
            .table(C::Table)
            .col(C::UserId)
            .col(C::EnterpriseId)
            .to_owned();
        manager.create_index(idx).await?;
        let by_enterprise =
            Index::create().name("idx_inspector_conflicts_enterprise").table(C::Table).col(C::EnterpriseId).to_owned();
        manager.create_index(by_enterprise).await
    }
}
