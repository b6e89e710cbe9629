//! Table and column identifiers used by the migrations (never the app's entities).

use sea_orm_migration::prelude::*;

#[derive(DeriveIden)]
pub enum Bureaus {
    Table,
    Id,
    Code,
    Name,
    Kind,
    RegionCode,
    ParentId,
    Path,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum Users {
    Table,
    Id,
    Username,
    PasswordHash,
    DisplayName,
    BureauId,
    Email,
    CertificateNo,
    CertificateValidUntil,
    Sectors,
    MustChangePassword,
    Disabled,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum UserRoles {
    Table,
    UserId,
    Role,
}

#[derive(DeriveIden)]
pub enum UserEnterprises {
    Table,
    UserId,
    EnterpriseId,
}

#[derive(DeriveIden)]
pub enum Sessions {
    Table,
    Id,
    TokenHash,
    UserId,
    CsrfToken,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
pub enum ActivationCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
pub enum Enterprises {
    Table,
    Id,
    CreditCode,
    Name,
    Sector,
    SubTypes,
    SpecialTopics,
    RegionCode,
    SupervisingBureauId,
    Address,
    LegalRepresentative,
    Principal,
    Phone,
    Email,
    Employees,
    AboveDesignatedSize,
    MajorHazardGrade,
    StandardizationGrade,
    StandardizationDate,
    Longitude,
    Latitude,
    Status,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum EnterpriseStatusHistory {
    Table,
    Id,
    EnterpriseId,
    Status,
    PreviousStatus,
    Reason,
    ActorId,
    ChangedAt,
}

#[derive(DeriveIden)]
pub enum Licences {
    Table,
    Id,
    EnterpriseId,
    LicenceType,
    Number,
    Issuer,
    ValidFrom,
    ValidTo,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum AuditLog {
    Table,
    Seq,
    At,
    Actor,
    Action,
    Entity,
    EntityId,
    PayloadVersion,
    PayloadSha256,
    PrevHash,
    Hash,
    Alg,
}

#[derive(DeriveIden)]
pub enum AuditHead {
    Table,
    Id,
    Seq,
    Hash,
}

#[derive(DeriveIden)]
pub enum Todos {
    Table,
    Id,
    UserId,
    BureauId,
    EnterpriseId,
    Role,
    Kind,
    Title,
    Link,
    DedupeKey,
    CreatedAt,
    DoneAt,
}

#[derive(DeriveIden)]
pub enum Outbox {
    Table,
    Id,
    Channel,
    Kind,
    Recipient,
    Subject,
    BodyText,
    BodyHtml,
    DedupeKey,
    CreatedAt,
    NextAttemptAt,
    ClaimedUntil,
    Attempts,
    LastError,
    SentAt,
    FailedAt,
}

#[derive(DeriveIden)]
pub enum Holidays {
    Table,
    Day,
    Kind,
    Name,
    ImportedAt,
    ImportedBy,
}
