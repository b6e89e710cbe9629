//! Account use cases shared by the API, the pages and the CLI.

use super::{BureauRef, CurrentUser, Role, Scope, password, token};
use crate::audit::{self, AuditCtx, Audited, canonical};
use crate::entities::{activation_code, bureau, session, user, user_enterprise, user_role};
use crate::error::{AppError, AppResult, DbResultExt, FieldErrors};
use crate::limits;
use crate::state::AppState;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use serde_json::{Value, json};

pub const SESSION_HOURS: i64 = 12;
/// An inspector signing in on a named device (the tablet app) keeps the session
/// as long as downloaded work may be used offline, so the tablet can still send
/// what it recorded; a regulator can revoke it if the tablet is lost.
pub const DEVICE_SESSION_DAYS: i64 = 7;
/// Revoked sessions are kept this long after they expire, so a lost tablet that
/// comes back late still learns it was revoked and wipes itself.
pub const KEEP_REVOKED_DAYS: i64 = 30;

/// How long a new session lasts: see [`DEVICE_SESSION_DAYS`].
pub fn lifetime(roles: &[Role], device: Option<&str>) -> Duration {
    if device.is_some() && roles.contains(&Role::Inspector) {
        Duration::days(DEVICE_SESSION_DAYS)
    } else {
        Duration::hours(SESSION_HOURS)
    }
}

impl Audited for user::Model {
    const ENTITY: &'static str = "user";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "username": self.username, "password_hash": self.password_hash,
            "display_name": self.display_name, "bureau_id": self.bureau_id, "email": self.email,
            "certificate_no": self.certificate_no,
            "certificate_valid_until": canonical::opt_date(self.certificate_valid_until),
            "sectors": self.sectors, "must_change_password": self.must_change_password,
            "disabled": self.disabled, "created_at": canonical::time(self.created_at),
            "updated_at": canonical::time(self.updated_at),
        })
    }
}

/// A user to create; the password is already hashed.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub roles: Vec<Role>,
    pub bureau_id: Option<i64>,
    pub enterprise_ids: Vec<i64>,
    pub email: Option<String>,
    pub certificate_no: Option<String>,
    pub certificate_valid_until: Option<NaiveDate>,
    pub sectors: Option<Vec<String>>,
    pub must_change_password: bool,
}

/// Every problem with a new user at once.
pub fn check_new_user(u: &NewUser) -> Result<(), AppError> {
    let mut fields = FieldErrors::new();
    let mut add = |f: &str, m: &str| fields.entry(f.to_owned()).or_default().push(m.to_owned());
    let name_ok = (3..=limits::USERNAME).contains(&u.username.chars().count())
        && u.username.chars().all(|c| c.is_ascii_alphanumeric() || "_.-@".contains(c));
    if !name_ok {
        add("username", &format!("用户名应为 3–{} 位字母、数字或 _ . - @", limits::USERNAME));
    }
    if u.roles.is_empty() {
        add("roles", "至少需要一个角色");
    }
    let bureau_roles = u.roles.iter().any(|r| r.is_bureau_role());
    let enterprise_roles = u.roles.iter().any(|r| r.is_enterprise_role());
    if bureau_roles && enterprise_roles {
        add("roles", "监管机构角色与企业角色不能同时授予");
    }
    // An insurer's user works for the insurer alone (linked by `crate::insurance::insurers::link`).
    if u.roles.contains(&Role::Insurer) && (u.roles.len() > 1 || u.bureau_id.is_some() || !u.enterprise_ids.is_empty())
    {
        add("roles", "保险机构用户不能兼任其他角色，也不隶属监管机构或企业");
    }
    if bureau_roles && u.bureau_id.is_none() {
        add("bureau", "监管机构用户须指定所属机构（行政区划代码）");
    }
    if enterprise_roles && u.enterprise_ids.is_empty() {
        add("enterprise", "企业用户须关联至少一家企业");
    }
    if u.roles.contains(&Role::Inspector) && (u.certificate_no.is_none() || u.certificate_valid_until.is_none()) {
        add("certificate", "执法人员须登记执法证号及有效期");
    }
    limits::check(&mut fields, "display_name", "姓名", Some(&u.display_name), limits::NAME);
    limits::check(&mut fields, "email", "邮箱", u.email.as_deref(), limits::EMAIL);
    limits::check(&mut fields, "certificate", "执法证号", u.certificate_no.as_deref(), limits::SHORT);
    limits::check_list(&mut fields, "sectors", "行业", u.sectors.as_deref().unwrap_or_default(), limits::LIST);
    if fields.is_empty() { Ok(()) } else { Err(AppError::Validation(fields)) }
}

/// Creates a user with roles and enterprise links, audited, inside the caller's transaction.
pub async fn create_user<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, u: NewUser) -> AppResult<user::Model> {
    check_new_user(&u)?;
    let model = user::ActiveModel {
        username: Set(u.username.clone()),
        password_hash: Set(u.password_hash),
        display_name: Set(u.display_name),
        bureau_id: Set(u.bureau_id),
        email: Set(u.email),
        certificate_no: Set(u.certificate_no),
        certificate_valid_until: Set(u.certificate_valid_until),
        sectors: Set(u.sectors.map(|s| s.join(","))),
        must_change_password: Set(u.must_change_password),
        disabled: Set(false),
        created_at: Set(ctx.at),
        updated_at: Set(ctx.at),
        ..Default::default()
    }
    .insert(db)
    .await
    .on_unique("username_taken", &format!("用户名 {} 已存在", u.username))?;
    let roles =
        u.roles.iter().map(|r| user_role::ActiveModel { user_id: Set(model.id), role: Set(r.as_str().to_owned()) });
    user_role::Entity::insert_many(roles).exec_without_returning(db).await?;
    if !u.enterprise_ids.is_empty() {
        let links = u
            .enterprise_ids
            .iter()
            .map(|e| user_enterprise::ActiveModel { user_id: Set(model.id), enterprise_id: Set(*e) });
        user_enterprise::Entity::insert_many(links).exec_without_returning(db).await?;
    }
    audit::record(db, ctx, "create", &model).await?;
    Ok(model)
}

/// Resolves a session digest to its user, if the session is live.
pub async fn load_session<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<(CurrentUser, DateTime<Utc>)>> {
    let Some(s) = session::Entity::find().filter(session::Column::TokenHash.eq(token_hash)).one(db).await? else {
        return Ok(None);
    };
    if s.revoked_at.is_some() {
        return Err(AppError::SessionRevoked);
    }
    if s.expires_at <= now {
        return Ok(None);
    }
    let Some(u) = user::Entity::find_by_id(s.user_id).one(db).await? else { return Ok(None) };
    if u.disabled {
        return Ok(None);
    }
    Ok(Some((current_user(db, u, &s).await?, s.expires_at)))
}

async fn roles_of<C: ConnectionTrait>(db: &C, user_id: i64) -> AppResult<Vec<Role>> {
    let rows = user_role::Entity::find().filter(user_role::Column::UserId.eq(user_id)).all(db).await?;
    Ok(rows.iter().filter_map(|r| Role::parse(&r.role)).collect())
}

async fn current_user<C: ConnectionTrait>(db: &C, u: user::Model, s: &session::Model) -> AppResult<CurrentUser> {
    let roles = roles_of(db, u.id).await?;
    let enterprise_ids: Vec<i64> = user_enterprise::Entity::find()
        .filter(user_enterprise::Column::UserId.eq(u.id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.enterprise_id)
        .collect();
    let bureau = match u.bureau_id {
        Some(id) => bureau::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let scope = match &bureau {
        Some(b) => Scope::Bureaus {
            path: b.path.clone(),
            sectors: u.sectors.as_ref().map(|s| s.split(',').map(str::to_owned).collect()),
        },
        None => Scope::Enterprises(enterprise_ids.clone()),
    };
    Ok(CurrentUser {
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        roles,
        bureau: bureau.map(|b| BureauRef { id: b.id, code: b.code, name: b.name }),
        enterprise_ids,
        scope,
        must_change_password: u.must_change_password,
        csrf_token: s.csrf_token.clone(),
        session_id: s.id,
    })
}

/// Ids of a bureau and every bureau below it.
pub async fn subtree_ids<C: ConnectionTrait>(db: &C, path: &str) -> AppResult<Vec<i64>> {
    Ok(bureau::Entity::find()
        .select_only()
        .column(bureau::Column::Id)
        .filter(crate::like::starts_with(bureau::Column::Path, path))
        .into_tuple::<i64>()
        .all(db)
        .await?)
}

/// A username or password longer than any account can have is refused before
/// anything else (it is neither looked up nor kept by the limiter).
fn check_login(username: &str, password: &str, device: Option<&str>) -> AppResult<()> {
    let mut fields = FieldErrors::new();
    limits::check(&mut fields, "username", "用户名", Some(username), limits::USERNAME);
    limits::check(&mut fields, "device", "设备名称", device, limits::SHORT);
    if password.chars().nth(limits::PASSWORD).is_some() {
        fields.insert("password".to_owned(), vec![format!("密码最多 {} 个字符", limits::PASSWORD)]);
    }
    if fields.is_empty() { Ok(()) } else { Err(AppError::Validation(fields)) }
}

/// The account whose username is `username` in any case (`ABC` finds `abc`):
/// credit codes are printed in capitals and the generated accounts are lower
/// case. A unique index on `LOWER(username)` keeps the match to one account.
pub async fn find_by_username<C: ConnectionTrait>(db: &C, username: &str) -> AppResult<Option<user::Model>> {
    use sea_orm::sea_query::{Expr, ExprTrait, Func};
    let lower = Expr::expr(Func::lower(Expr::col((user::Entity, user::Column::Username))));
    Ok(user::Entity::find().filter(lower.eq(username.trim().to_lowercase())).one(db).await?)
}

/// Checks the password and opens a session; rate-limited per username (in
/// any case) and address.
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    address: &str,
    device: Option<&str>,
) -> AppResult<(String, CurrentUser)> {
    check_login(username, password, device)?;
    let username = &username.trim().to_lowercase();
    if state.limiter.blocked(username, address) {
        return Err(AppError::RateLimited);
    }
    let found = find_by_username(state.db.conn(), username).await?;
    // Verify against a dummy hash for unknown users so timing does not reveal them.
    let stored = found.as_ref().map_or_else(|| state.dummy_hash.clone(), |u| u.password_hash.clone());
    let ok = password::verify_blocking(password.to_owned(), stored).await;
    let user = match found {
        Some(u) if ok && !u.disabled => u,
        _ => {
            state.limiter.fail(username, address);
            return Err(AppError::bad_request("invalid_credentials", "用户名或密码错误"));
        }
    };
    state.limiter.succeed(username);
    open_device_session(state, user.id, device).await
}

/// Opens a session for a user whose identity has been established.
pub async fn open_session(state: &AppState, user_id: i64) -> AppResult<(String, CurrentUser)> {
    open_device_session(state, user_id, None).await
}

/// Opens a session on a named device (see [`lifetime`]).
pub async fn open_device_session(
    state: &AppState,
    user_id: i64,
    device: Option<&str>,
) -> AppResult<(String, CurrentUser)> {
    let device = device.map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned);
    let secret = token::new_token();
    let now = state.clock.now();
    let current = state
        .write(format!("user:{user_id}"), async |tx| {
            let user = user::Entity::find_by_id(user_id).one(tx).await?.ok_or(AppError::NotFound)?;
            clear_expired(tx, now).await?;
            let roles = roles_of(tx, user.id).await?;
            let s = session::ActiveModel {
                token_hash: Set(token::digest(&secret)),
                user_id: Set(user.id),
                csrf_token: Set(token::new_token()),
                created_at: Set(now),
                expires_at: Set(now + lifetime(&roles, device.as_deref())),
                device: Set(device),
                revoked_at: Set(None),
                revoked_by: Set(None),
                ..Default::default()
            }
            .insert(tx)
            .await?;
            current_user(tx, user, &s).await
        })
        .await?;
    Ok((secret, current))
}

/// Redeems a one-time activation code: sets the chosen password and spends the code.
/// Failed attempts count against the caller's address like failed logins.
pub async fn activate(state: &AppState, code: &str, new_password: &str, address: &str) -> AppResult<i64> {
    if state.limiter.address_blocked(address) {
        return Err(AppError::RateLimited);
    }
    let mut fields = FieldErrors::new();
    limits::check(&mut fields, "code", "激活码", Some(code), limits::SHORT);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let result = redeem_code(state, code, new_password).await;
    if matches!(result, Err(AppError::BadRequest { .. })) {
        state.limiter.fail_address(address);
    }
    result
}

async fn redeem_code(state: &AppState, code: &str, new_password: &str) -> AppResult<i64> {
    let digest = token::digest(&token::normalise_code(code));
    let hash = password::hash_blocking(new_password.to_owned()).await?;
    let now = state.clock.now();
    // The change log names the account whose code was redeemed, not an anonymous caller.
    let found = activation_code::Entity::find()
        .filter(activation_code::Column::CodeHash.eq(digest))
        .filter(activation_code::Column::UsedAt.is_null())
        .filter(activation_code::Column::ExpiresAt.gt(now))
        .one(state.db.conn())
        .await?
        .ok_or_else(|| AppError::bad_request("invalid_activation_code", "激活码无效、已使用或已过期"))?;
    state
        .write(format!("user:{}", found.user_id), async |tx| {
            // Spent only if still unspent: two redemptions of one code cannot both pass.
            let spent = activation_code::Entity::update_many()
                .col_expr(activation_code::Column::UsedAt, sea_orm::sea_query::Expr::value(now))
                .filter(activation_code::Column::Id.eq(found.id))
                .filter(activation_code::Column::UsedAt.is_null())
                .exec(tx)
                .await?;
            if spent.rows_affected != 1 {
                return Err(AppError::bad_request("invalid_activation_code", "激活码无效、已使用或已过期"));
            }
            set_password(tx, tx.ctx(), found.user_id, hash, None).await?;
            tx.end_sessions_of(found.user_id);
            Ok(found.user_id)
        })
        .await
}

/// Expired sessions are cleared whenever someone signs in; revoked ones stay
/// [`KEEP_REVOKED_DAYS`] longer.
async fn clear_expired<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> AppResult<()> {
    use sea_orm::Condition;
    let gone = Condition::any()
        .add(Condition::all().add(session::Column::RevokedAt.is_null()).add(session::Column::ExpiresAt.lte(now)))
        .add(session::Column::ExpiresAt.lte(now - Duration::days(KEEP_REVOKED_DAYS)));
    session::Entity::delete_many().filter(gone).exec(db).await?;
    Ok(())
}

pub async fn logout(state: &AppState, user: &CurrentUser) -> AppResult<()> {
    state
        .write(user.actor(), async |tx| {
            session::Entity::delete_by_id(user.session_id).exec(tx).await?;
            tx.end_sessions_of(user.id);
            Ok(())
        })
        .await
}

/// Sets a new password (already policy-checked), clears the first-login flag and
/// ends the user's other sessions (revoked ones are kept: see [`KEEP_REVOKED_DAYS`]).
pub async fn set_password<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    user_id: i64,
    new_hash: String,
    keep_session: Option<i64>,
) -> AppResult<user::Model> {
    let u = user::Entity::find_by_id(user_id).one(db).await?.ok_or(AppError::NotFound)?;
    let mut active: user::ActiveModel = u.into();
    active.password_hash = Set(new_hash);
    active.must_change_password = Set(false);
    active.updated_at = Set(ctx.at);
    let updated = active.update(db).await?;
    // Revoked sessions stay, so a lost tablet still learns it was revoked.
    let mut others = session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(id) = keep_session {
        others = others.filter(session::Column::Id.ne(id));
    }
    others.exec(db).await?;
    audit::record(db, ctx, "set_password", &updated).await?;
    Ok(updated)
}
