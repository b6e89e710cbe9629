//! Onboarding enterprise accounts (企业账号开通) in bulk: for each enterprise in
//! scope without one, a principal (主要负责人) and/or safety-officer
//! (安全管理人员) account with a one-time activation code, delivered as a
//! printable letter or an xlsx list. Codes are stored hashed and shown once;
//! the account has no usable password until the code is redeemed, and the
//! first login is the activation itself (the password is chosen there).

use super::json::EnterpriseFilter;
use crate::auth::service::{NewUser, create_user};
use crate::auth::{CurrentUser, Role, token};
use crate::entities::{activation_code, enterprise, user};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::ApiJson;
use crate::limits;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

pub const CODE_VALID_DAYS: i64 = 30;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct GenerateAccountsRequest {
    /// Enterprises to onboard (at most `limits::IDS`); when absent, every
    /// enterprise matching `sector` and `region` in scope.
    #[schema(max_items = 1000)]
    pub enterprise_ids: Option<Vec<i64>>,
    #[serde(default)]
    pub sector: Option<super::domain::Sector>,
    /// A region code; the region and those below it.
    #[serde(default)]
    #[schema(max_length = 6)]
    pub region: Option<String>,
    /// `principal` and/or `safety_officer`.
    #[schema(max_items = 20)]
    pub roles: Vec<Role>,
    /// Issue a new code for accounts that already exist (a lost letter); their password is reset.
    #[serde(default)]
    pub reissue: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IssuedAccount {
    pub enterprise_id: i64,
    pub credit_code: String,
    pub enterprise_name: String,
    pub role: Role,
    pub username: String,
    /// Shown once; only its digest is stored.
    pub activation_code: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GenerateAccountsResponse {
    pub issued: Vec<IssuedAccount>,
    /// Enterprises × roles that already had an account (and `reissue` was false).
    pub skipped: usize,
}

fn username_for(credit_code: &str, role: Role) -> String {
    let suffix = if role == Role::Principal { "fzr" } else { "aqy" };
    format!("{}-{suffix}", credit_code.to_lowercase())
}

/// Existing account of `role` for an enterprise, by the generated username.
async fn existing<C: ConnectionTrait>(db: &C, username: &str) -> AppResult<Option<user::Model>> {
    Ok(user::Entity::find().filter(user::Column::Username.eq(username)).one(db).await?)
}

async fn issue_code<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    now: DateTime<Utc>,
) -> AppResult<(String, DateTime<Utc>)> {
    let code = token::new_activation_code();
    let expires = now + Duration::days(CODE_VALID_DAYS);
    activation_code::ActiveModel {
        user_id: Set(user_id),
        code_hash: Set(token::digest(&token::normalise_code(&code))),
        created_at: Set(now),
        expires_at: Set(expires),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((code, expires))
}

/// An unusable password hash: nothing verifies against it.
fn locked_hash() -> String {
    format!("!locked:{}", token::new_token())
}

async fn reset_for_reissue<C: ConnectionTrait>(db: &C, ctx: &crate::audit::AuditCtx, u: user::Model) -> AppResult<()> {
    let mut a: user::ActiveModel = u.into();
    a.password_hash = Set(locked_hash());
    a.must_change_password = Set(true);
    a.updated_at = Set(ctx.at);
    let saved = a.update(db).await?;
    crate::audit::record(db, ctx, "reissue_activation", &saved).await?;
    Ok(())
}

/// `甲化工有限公司（主要负责人）`, the name cut to fit a display name (`limits::NAME`).
fn display_name(enterprise: &str, role: Role) -> String {
    let suffix = format!("（{}）", role.zh());
    format!("{}{suffix}", limits::clamp(enterprise, limits::NAME - suffix.chars().count()))
}

/// Generates accounts inside the caller's transaction.
pub async fn generate<C: ConnectionTrait>(
    db: &C,
    ctx: &crate::audit::AuditCtx,
    enterprises: &[enterprise::Model],
    roles: &[Role],
    reissue: bool,
) -> AppResult<GenerateAccountsResponse> {
    let mut issued = Vec::new();
    let mut skipped = 0;
    for e in enterprises {
        for role in roles {
            let username = username_for(&e.credit_code, *role);
            let user_id = match existing(db, &username).await? {
                Some(u) if reissue => {
                    let id = u.id;
                    reset_for_reissue(db, ctx, u).await?;
                    id
                }
                Some(_) => {
                    skipped += 1;
                    continue;
                }
                None => {
                    let new = NewUser {
                        username: username.clone(),
                        display_name: display_name(&e.name, *role),
                        password_hash: locked_hash(),
                        roles: vec![*role],
                        enterprise_ids: vec![e.id],
                        // An address stored before the limits is left out rather than refused.
                        email: e.email.clone().filter(|m| limits::problem(m, limits::EMAIL).is_none()),
                        must_change_password: true,
                        ..NewUser::default()
                    };
                    create_user(db, ctx, new).await?.id
                }
            };
            let (code, expires_at) = issue_code(db, user_id, ctx.at).await?;
            issued.push(IssuedAccount {
                enterprise_id: e.id,
                credit_code: e.credit_code.clone(),
                enterprise_name: e.name.clone(),
                role: *role,
                username,
                activation_code: code,
                expires_at,
            });
        }
    }
    Ok(GenerateAccountsResponse { issued, skipped })
}

/// The enterprises a request names, within the user's scope.
pub async fn targets(
    state: &AppState,
    user: &CurrentUser,
    req: &GenerateAccountsRequest,
) -> AppResult<Vec<enterprise::Model>> {
    let filter = EnterpriseFilter { sector: req.sector, region: req.region.clone(), ..EnterpriseFilter::default() };
    let mut q = super::list::filtered(&user.scope, &filter)?;
    if let Some(ids) = &req.enterprise_ids {
        q = q.filter(enterprise::Column::Id.is_in(ids.iter().copied()));
    }
    Ok(q.order_by_asc(enterprise::Column::Id).all(state.db.conn()).await?)
}

/// Shared by the API and the page.
pub async fn run(
    state: &AppState,
    user: &CurrentUser,
    req: &GenerateAccountsRequest,
) -> AppResult<GenerateAccountsResponse> {
    user.require_any(&[Role::Regulator])?;
    let mut fields = crate::error::FieldErrors::new();
    let ids = req.enterprise_ids.as_deref().unwrap_or_default();
    limits::check_list(&mut fields, "enterprise_ids", "企业", ids, limits::IDS);
    limits::check_list(&mut fields, "roles", "角色", &req.roles, limits::LIST);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let roles: Vec<Role> = req.roles.iter().copied().collect::<HashSet<_>>().into_iter().collect();
    if roles.is_empty() || roles.iter().any(|r| !matches!(r, Role::Principal | Role::SafetyOfficer)) {
        return Err(AppError::validation("roles", "只能为企业生成“主要负责人”或“安全管理人员”账号"));
    }
    let mut roles = roles;
    roles.sort();
    let list = targets(state, user, req).await?;
    state.write(user.actor(), async |tx| generate(tx, tx.ctx(), &list, &roles, req.reissue).await).await
}

/// Generate enterprise accounts with one-time activation codes (regulators).
#[utoipa::path(post, path = "/api/v1/enterprises/accounts", tag = "enterprises", request_body = GenerateAccountsRequest,
    responses((status = 200, body = GenerateAccountsResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn generate_accounts(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<GenerateAccountsRequest>,
) -> AppResult<Json<GenerateAccountsResponse>> {
    Ok(Json(run(&state, &user, &req).await?))
}
