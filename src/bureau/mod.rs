//! Bureaus (监管机构): a tree keyed by region code (省厅 420000 → 市局 420100 →
//! 区局 420103), created on demand from a region code. Parks (开发区, 化工园区)
//! are bureaus with their own codes under the bureau of the region they sit in.
//! Each bureau's `path` lists the codes from the root (`/420000/420100/420103/`),
//! so a subtree is one prefix match.

pub mod regions;

use crate::audit::{self, AuditCtx, Audited, canonical};
use crate::auth::CurrentUser;
use crate::enterprise::domain::{RegionCode, RegionLevel};
use crate::entities::bureau;
use crate::error::{AppError, AppResult};
use crate::routes::{ApiRoutes, routes};
use crate::state::AppState;
use axum::{Json, extract::State};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::{Value, json};

impl Audited for bureau::Model {
    const ENTITY: &'static str = "bureau";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "code": self.code, "name": self.name, "kind": self.kind,
            "region_code": self.region_code, "parent_id": self.parent_id, "path": self.path,
            "created_at": canonical::time(self.created_at),
        })
    }
}

fn kind_of(level: RegionLevel) -> &'static str {
    match level {
        RegionLevel::Province => "province",
        RegionLevel::Prefecture => "prefecture",
        RegionLevel::County => "county",
    }
}

/// The bureau of a region, creating it and any missing bureaus above it.
pub async fn ensure_for_region<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    code: &RegionCode,
) -> AppResult<bureau::Model> {
    if let Some(found) = bureau::Entity::find().filter(bureau::Column::Code.eq(code.as_str())).one(db).await? {
        return Ok(found);
    }
    // Walk up to the first existing ancestor, then create downwards.
    let mut chain = vec![code.clone()];
    let mut parent = None;
    while let Some(up) = chain.last().and_then(regions::parent) {
        if let Some(found) = bureau::Entity::find().filter(bureau::Column::Code.eq(up.as_str())).one(db).await? {
            parent = Some(found);
            break;
        }
        chain.push(up);
    }
    for region in chain.into_iter().rev() {
        let path = format!("{}{}/", parent.as_ref().map_or("/", |p| p.path.as_str()), region.as_str());
        let created = bureau::ActiveModel {
            code: Set(region.as_str().to_owned()),
            name: Set(regions::bureau_name(&region)),
            kind: Set(kind_of(region.level()).to_owned()),
            region_code: Set(region.as_str().to_owned()),
            parent_id: Set(parent.as_ref().map(|p| p.id)),
            path: Set(path),
            created_at: Set(ctx.at),
            ..Default::default()
        }
        .insert(db)
        .await?;
        audit::record(db, ctx, "create", &created).await?;
        parent = Some(created);
    }
    parent.ok_or(AppError::NotFound)
}

/// Creates a park bureau (开发区/化工园区) under the bureau of `region`.
pub async fn create_park<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    code: &str,
    name: &str,
    region: &RegionCode,
) -> AppResult<bureau::Model> {
    let parent = ensure_for_region(db, ctx, region).await?;
    let created = bureau::ActiveModel {
        code: Set(code.to_owned()),
        name: Set(name.to_owned()),
        kind: Set("park".to_owned()),
        region_code: Set(region.as_str().to_owned()),
        parent_id: Set(Some(parent.id)),
        path: Set(format!("{}{code}/", parent.path)),
        created_at: Set(ctx.at),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::conflict("bureau_exists", "机构代码已存在"),
        _ => AppError::Db(e),
    })?;
    audit::record(db, ctx, "create", &created).await?;
    Ok(created)
}

/// Whether a bureau's territory covers a region: by region code for regional
/// bureaus; a park covers the region it sits in.
/// The names of these bureaus (any order, duplicates allowed).
pub async fn names<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<std::collections::HashMap<i64, String>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let ids: std::collections::BTreeSet<i64> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let rows = bureau::Entity::find().filter(bureau::Column::Id.is_in(ids)).all(db).await?;
    Ok(rows.into_iter().map(|b| (b.id, b.name)).collect())
}

pub fn covers_region(b: &bureau::Model, region: &RegionCode) -> bool {
    RegionCode::parse(&b.region_code).is_ok_and(|own| own.covers(region))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BureauResponse {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
}

/// Bureaus the user may assign as supervising bureau: its own and those below.
#[utoipa::path(get, path = "/api/v1/bureaus", tag = "bureaus", responses((status = 200, body = Vec<BureauResponse>)))]
pub async fn list_bureaus(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<Vec<BureauResponse>>> {
    Ok(Json(
        visible(&state, &user)
            .await?
            .into_iter()
            .map(|b| BureauResponse { id: b.id, code: b.code, name: b.name, kind: b.kind, parent_id: b.parent_id })
            .collect(),
    ))
}

pub async fn visible(state: &AppState, user: &CurrentUser) -> AppResult<Vec<bureau::Model>> {
    let Some(own) = &user.bureau else { return Ok(Vec::new()) };
    let own = bureau::Entity::find_by_id(own.id).one(state.db.conn()).await?.ok_or(AppError::NotFound)?;
    Ok(bureau::Entity::find()
        .filter(bureau::Column::Path.starts_with(&own.path))
        .order_by_asc(bureau::Column::Path)
        .all(state.db.conn())
        .await?)
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct CreateParkRequest {
    /// The park's own code (4 to `limits::PARK_CODE` letters, digits, `-`; not a 6-digit region code), e.g. `420117-HG`.
    #[schema(max_length = 32)]
    pub code: String,
    /// e.g. 武汉化学工业区管委会安全监管局; at most `limits::NAME` characters.
    #[schema(max_length = 200)]
    pub name: String,
    /// The region the park sits in; must be within the user's territory.
    #[schema(max_length = 6)]
    pub region_code: String,
}

fn check_park(req: &CreateParkRequest) -> Result<RegionCode, AppError> {
    let mut fields = crate::error::FieldErrors::new();
    let code_ok = (4..=crate::limits::PARK_CODE).contains(&req.code.len())
        && req.code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && RegionCode::parse(&req.code).is_err();
    if !code_ok {
        let message = format!("园区代码应为 4–{} 位字母、数字或 -，且不能与行政区划代码相同", crate::limits::PARK_CODE);
        fields.insert("code".into(), vec![message]);
    }
    if req.name.trim().is_empty() {
        fields.insert("name".into(), vec!["请填写机构名称".into()]);
    }
    crate::limits::check(&mut fields, "name", "机构名称", Some(req.name.trim()), crate::limits::NAME);
    let region =
        RegionCode::parse(&req.region_code).map_err(|e| fields.insert("region_code".into(), vec![e.to_string()]));
    match region {
        Ok(r) if fields.is_empty() => Ok(r),
        _ => Err(AppError::Validation(fields)),
    }
}

/// Create a park bureau (开发区/化工园区) inside the user's territory (regulators).
#[utoipa::path(post, path = "/api/v1/bureaus", tag = "bureaus", request_body = CreateParkRequest,
    responses((status = 201, body = BureauResponse), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_park_bureau(
    State(state): State<AppState>,
    user: CurrentUser,
    crate::json::ApiJson(req): crate::json::ApiJson<CreateParkRequest>,
) -> AppResult<(axum::http::StatusCode, Json<BureauResponse>)> {
    user.require_any(&[crate::auth::Role::Regulator])?;
    let region = check_park(&req)?;
    let own = crate::scope::own_bureau(state.db.conn(), &user).await?;
    if !covers_region(&own, &region) || own.kind == "park" {
        return Err(AppError::validation("region_code", "该行政区划不在本机构管辖范围内"));
    }
    let b = state
        .write(user.actor(), async |tx| create_park(tx, tx.ctx(), &req.code, req.name.trim(), &region).await)
        .await?;
    let body = BureauResponse { id: b.id, code: b.code, name: b.name, kind: b.kind, parent_id: b.parent_id };
    Ok((axum::http::StatusCode::CREATED, Json(body)))
}

pub fn routes() -> ApiRoutes {
    ApiRoutes::new().routes(routes!(list_bureaus, create_park_bureau))
}
