//! The hidden-hazard ledger (隐患台账): hazards, their timeline, provisional
//! subjects for operators not in the register, attachments, the category
//! dictionary, and the notice ledger that makes each (hazard, step) notice unique.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Hazards {
    Table,
    Id,
    EnterpriseId,
    SubjectId,
    BureauId,
    Sector,
    RegionCode,
    Source,
    SourceRef,
    ReporterName,
    ReporterPhone,
    ReporterUserId,
    VerificationOutcome,
    Reward,
    Level,
    Closure,
    Category,
    Title,
    Description,
    Location,
    FoundAt,
    Deadline,
    ChecklistItemCode,
    RiskPointId,
    Status,
    IsOpen,
    Suspended,
    Assignment,
    Plan,
    Report,
    ExtensionUntil,
    ExtensionReason,
    RectifiedBy,
    FundsSpent,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    StatusChangedAt,
    ClosedAt,
    Version,
}

#[derive(DeriveIden)]
enum HazardEvents {
    Table,
    Id,
    HazardId,
    Action,
    FromStatus,
    ToStatus,
    ActorId,
    At,
    Note,
    Data,
}

#[derive(DeriveIden)]
enum HazardSubjects {
    Table,
    Id,
    BureauId,
    Name,
    Address,
    Description,
    RegionCode,
    EnterpriseId,
    Status,
    Note,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    Sha256,
    ContentType,
    Size,
    FileName,
    UploadedBy,
    UploadedAt,
    HazardId,
    Purpose,
}

#[derive(DeriveIden)]
enum HazardNotices {
    Table,
    Id,
    HazardId,
    Step,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HazardCategories {
    Table,
    Id,
    Code,
    Name,
    Sort,
    Active,
}

#[derive(DeriveIden)]
enum Enterprises {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Bureaus {
    Table,
    Id,
}

fn hazards() -> TableCreateStatement {
    Table::create()
        .table(Hazards::Table)
        .col(big_pk_auto(Hazards::Id))
        .col(big_integer_null(Hazards::EnterpriseId))
        .col(big_integer_null(Hazards::SubjectId))
        .col(big_integer(Hazards::BureauId))
        .col(string_null(Hazards::Sector))
        .col(string(Hazards::RegionCode))
        .col(string(Hazards::Source))
        .col(string_null(Hazards::SourceRef))
        .col(string_null(Hazards::ReporterName))
        .col(string_null(Hazards::ReporterPhone))
        .col(big_integer_null(Hazards::ReporterUserId))
        .col(string_null(Hazards::VerificationOutcome))
        .col(string_null(Hazards::Reward))
        .col(string(Hazards::Level))
        .col(string(Hazards::Closure))
        .col(string(Hazards::Category))
        .col(string(Hazards::Title))
        .col(text(Hazards::Description))
        .col(string_null(Hazards::Location))
        .col(timestamp_with_time_zone(Hazards::FoundAt))
        .col(date_null(Hazards::Deadline))
        .col(string_null(Hazards::ChecklistItemCode))
        .col(big_integer_null(Hazards::RiskPointId))
        .col(string(Hazards::Status))
        .col(boolean(Hazards::IsOpen))
        .col(boolean(Hazards::Suspended))
        .col(text_null(Hazards::Assignment))
        .col(text_null(Hazards::Plan))
        .col(text_null(Hazards::Report))
        .col(date_null(Hazards::ExtensionUntil))
        .col(string_null(Hazards::ExtensionReason))
        .col(big_integer_null(Hazards::RectifiedBy))
        .col(big_integer_null(Hazards::FundsSpent))
        .col(big_integer_null(Hazards::CreatedBy))
        .col(timestamp_with_time_zone(Hazards::CreatedAt))
        .col(timestamp_with_time_zone(Hazards::UpdatedAt))
        .col(timestamp_with_time_zone(Hazards::StatusChangedAt))
        .col(timestamp_with_time_zone_null(Hazards::ClosedAt))
        .col(integer(Hazards::Version))
        .foreign_key(
            ForeignKey::create().from(Hazards::Table, Hazards::EnterpriseId).to(Enterprises::Table, Enterprises::Id),
        )
        .foreign_key(ForeignKey::create().from(Hazards::Table, Hazards::BureauId).to(Bureaus::Table, Bureaus::Id))
        .foreign_key(
            ForeignKey::create().from(Hazards::Table, Hazards::SubjectId).to(HazardSubjects::Table, HazardSubjects::Id),
        )
        .to_owned()
}

fn events() -> TableCreateStatement {
    Table::create()
        .table(HazardEvents::Table)
        .col(big_pk_auto(HazardEvents::Id))
        .col(big_integer(HazardEvents::HazardId))
        .col(string(HazardEvents::Action))
        .col(string_null(HazardEvents::FromStatus))
        .col(string(HazardEvents::ToStatus))
        .col(big_integer_null(HazardEvents::ActorId))
        .col(timestamp_with_time_zone(HazardEvents::At))
        .col(text_null(HazardEvents::Note))
        .col(text_null(HazardEvents::Data))
        .foreign_key(
            ForeignKey::create().from(HazardEvents::Table, HazardEvents::HazardId).to(Hazards::Table, Hazards::Id),
        )
        .to_owned()
}

fn subjects() -> TableCreateStatement {
    Table::create()
        .table(HazardSubjects::Table)
        .col(big_pk_auto(HazardSubjects::Id))
        .col(big_integer(HazardSubjects::BureauId))
        .col(string(HazardSubjects::Name))
        .col(string_null(HazardSubjects::Address))
        .col(text_null(HazardSubjects::Description))
        .col(string(HazardSubjects::RegionCode))
        .col(big_integer_null(HazardSubjects::EnterpriseId))
        .col(string(HazardSubjects::Status))
        .col(text_null(HazardSubjects::Note))
        .col(timestamp_with_time_zone(HazardSubjects::CreatedAt))
        .col(timestamp_with_time_zone(HazardSubjects::UpdatedAt))
        .col(integer(HazardSubjects::Version))
        .foreign_key(
            ForeignKey::create().from(HazardSubjects::Table, HazardSubjects::BureauId).to(Bureaus::Table, Bureaus::Id),
        )
        .to_owned()
}

fn attachments() -> TableCreateStatement {
    Table::create()
        .table(Attachments::Table)
        .col(big_pk_auto(Attachments::Id))
        .col(string(Attachments::Sha256))
        .col(string(Attachments::ContentType))
        .col(big_integer(Attachments::Size))
        .col(string(Attachments::FileName))
        .col(big_integer(Attachments::UploadedBy))
        .col(timestamp_with_time_zone(Attachments::UploadedAt))
        .col(big_integer_null(Attachments::HazardId))
        .col(string_null(Attachments::Purpose))
        .to_owned()
}

fn notices() -> TableCreateStatement {
    Table::create()
        .table(HazardNotices::Table)
        .col(big_pk_auto(HazardNotices::Id))
        .col(big_integer(HazardNotices::HazardId))
        .col(string(HazardNotices::Step))
        .col(timestamp_with_time_zone(HazardNotices::CreatedAt))
        .to_owned()
}

fn categories() -> TableCreateStatement {
    Table::create()
        .table(HazardCategories::Table)
        .col(big_pk_auto(HazardCategories::Id))
        .col(string_uniq(HazardCategories::Code))
        .col(string(HazardCategories::Name))
        .col(integer(HazardCategories::Sort))
        .col(boolean(HazardCategories::Active))
        .to_owned()
}

fn index(name: &str, table: impl IntoIden, cols: Vec<DynIden>, unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    if unique {
        i.unique();
    }
    i
}

/// The default categories (16号令 art. 3 plus environment); bureaus may add more.
const DEFAULT_CATEGORIES: [(&str, &str); 4] = [
    ("unsafe_behaviour", "人的不安全行为"),
    ("unsafe_condition", "物的危险状态"),
    ("management_defect", "管理缺陷"),
    ("environment", "环境因素"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [subjects(), hazards(), events(), attachments(), notices(), categories()] {
            manager.create_table(t).await?;
        }
        let indexes = [
            index(
                "idx_hazards_bureau_open_deadline",
                Hazards::Table,
                vec![Hazards::BureauId.into_iden(), Hazards::IsOpen.into_iden(), Hazards::Deadline.into_iden()],
                false,
            ),
            index(
                "idx_hazards_open_deadline",
                Hazards::Table,
                vec![Hazards::IsOpen.into_iden(), Hazards::Deadline.into_iden(), Hazards::Id.into_iden()],
                false,
            ),
            index("idx_hazards_enterprise", Hazards::Table, vec![Hazards::EnterpriseId.into_iden()], false),
            index("idx_hazard_events_hazard", HazardEvents::Table, vec![HazardEvents::HazardId.into_iden()], false),
            index("idx_attachments_hazard", Attachments::Table, vec![Attachments::HazardId.into_iden()], false),
            index("idx_attachments_sha256", Attachments::Table, vec![Attachments::Sha256.into_iden()], false),
            index(
                "idx_hazard_notices_step",
                HazardNotices::Table,
                vec![HazardNotices::HazardId.into_iden(), HazardNotices::Step.into_iden()],
                true,
            ),
        ];
        for i in indexes {
            manager.create_index(i).await?;
        }
        let mut insert = Query::insert();
        insert.into_table(HazardCategories::Table).columns([
            HazardCategories::Code,
            HazardCategories::Name,
            HazardCategories::Sort,
            HazardCategories::Active,
        ]);
        for (i, (code, name)) in (1..).zip(DEFAULT_CATEGORIES) {
            insert.values_panic([code.into(), name.into(), (i * 10).into(), true.into()]);
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["hazard_categories", "hazard_notices", "attachments", "hazard_events", "hazards", "hazard_subjects"] {
            manager.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
