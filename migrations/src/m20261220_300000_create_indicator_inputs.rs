//! The indicator cockpit's inputs entered by the bureaus: a region's denominators
//! per year (地区生产总值, 工矿商贸就业人员), its baselines per indicator and year
//! (e.g. 2020 deaths), and a bureau's own targets for a region it covers. One row
//! per key (a later entry updates it); a target is withdrawn by marking it deleted,
//! so the change log can still compare every row.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum IndicatorDenominators {
    Table,
    Id,
    RegionCode,
    Year,
    #[sea_orm(iden = "gdp_100m_yuan")]
    Gdp100mYuan,
    IndustrialWorkers,
    Source,
    BureauId,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IndicatorBaselines {
    Table,
    Id,
    RegionCode,
    Indicator,
    Year,
    Value,
    Source,
    BureauId,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IndicatorTargets {
    Table,
    Id,
    RegionCode,
    Indicator,
    Year,
    Plan,
    Value,
    ChangePercent,
    BaseYear,
    Line,
    Binding,
    BureauId,
    UpdatedBy,
    UpdatedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum Bureaus {
    Table,
    Id,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

fn denominators() -> TableCreateStatement {
    use IndicatorDenominators as D;
    Table::create()
        .table(D::Table)
        .col(big_pk_auto(D::Id))
        .col(string_len(D::RegionCode, 6))
        .col(integer(D::Year))
        .col(double_null(D::Gdp100mYuan))
        .col(big_integer_null(D::IndustrialWorkers))
        .col(string_len(D::Source, 200))
        .col(big_integer(D::BureauId))
        .col(big_integer(D::UpdatedBy))
        .col(timestamp_with_time_zone(D::UpdatedAt))
        .foreign_key(ForeignKey::create().from(D::Table, D::BureauId).to(Bureaus::Table, Bureaus::Id))
        .to_owned()
}

fn baselines() -> TableCreateStatement {
    use IndicatorBaselines as B;
    Table::create()
        .table(B::Table)
        .col(big_pk_auto(B::Id))
        .col(string_len(B::RegionCode, 6))
        .col(string_len(B::Indicator, 64))
        .col(integer(B::Year))
        .col(double(B::Value))
        .col(string_len(B::Source, 200))
        .col(big_integer(B::BureauId))
        .col(big_integer(B::UpdatedBy))
        .col(timestamp_with_time_zone(B::UpdatedAt))
        .foreign_key(ForeignKey::create().from(B::Table, B::BureauId).to(Bureaus::Table, Bureaus::Id))
        .to_owned()
}

fn targets() -> TableCreateStatement {
    use IndicatorTargets as T;
    Table::create()
        .table(T::Table)
        .col(big_pk_auto(T::Id))
        .col(string_len(T::RegionCode, 6))
        .col(string_len(T::Indicator, 64))
        .col(integer(T::Year))
        .col(string_len(T::Plan, 200))
        .col(double_null(T::Value))
        .col(double_null(T::ChangePercent))
        .col(integer_null(T::BaseYear))
        .col(string_len(T::Line, 200))
        .col(boolean(T::Binding))
        .col(big_integer(T::BureauId))
        .col(big_integer(T::UpdatedBy))
        .col(timestamp_with_time_zone(T::UpdatedAt))
        .col(timestamp_with_time_zone_null(T::DeletedAt))
        .foreign_key(ForeignKey::create().from(T::Table, T::BureauId).to(Bureaus::Table, Bureaus::Id))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use IndicatorBaselines as B;
        use IndicatorDenominators as D;
        use IndicatorTargets as T;
        manager.create_table(denominators()).await?;
        manager.create_table(baselines()).await?;
        manager.create_table(targets()).await?;
        let unique = [
            Index::create()
                .name("ux_indicator_denominators_key")
                .table(D::Table)
                .col(D::RegionCode)
                .col(D::Year)
                .unique()
                .to_owned(),
            Index::create()
                .name("ux_indicator_baselines_key")
                .table(B::Table)
                .col(B::RegionCode)
                .col(B::Indicator)
                .col(B::Year)
                .unique()
                .to_owned(),
            Index::create()
                .name("ux_indicator_targets_key")
                .table(T::Table)
                .col(T::RegionCode)
                .col(T::Indicator)
                .col(T::Year)
                .unique()
                .to_owned(),
        ];
        for index in unique {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(IndicatorTargets::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(IndicatorBaselines::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(IndicatorDenominators::Table).to_owned()).await
    }
}
