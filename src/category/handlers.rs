//! `GET/POST /api/v1/hazard-categories`, `PATCH /api/v1/hazard-categories/{id}`.

use super::{all_of, maintained_by, offered, province_of_user};
use crate::auth::CurrentUser;
use crate::entities::hazard_category;
use crate::error::{AppError, AppResult, DbResultExt, ErrorBody, FieldErrors};
use crate::json::{ApiJson, ApiPath, ApiQuery};
use crate::limits;
use crate::routes::{ApiRoutes, routes};
use crate::state::AppState;
use crate::write::Tx;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A category of the dictionary.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryResponse {
    pub id: i64,
    /// What a hazard stores (`category`).
    pub code: String,
    pub name: String,
    /// The province (`420000`) that keeps it; none for the shipped categories.
    pub province_code: Option<String>,
    /// Offered only for this sector's enterprises, if set.
    pub sector: Option<String>,
    pub active: bool,
    /// Display order, smallest first.
    pub sort: i32,
}

impl From<hazard_category::Model> for CategoryResponse {
    fn from(c: hazard_category::Model) -> Self {
        Self {
            id: c.id,
            code: c.code,
            name: c.name,
            province_code: c.province_code,
            sector: c.sector,
            active: c.active,
            sort: c.sort,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct CategoryQuery {
    /// Only the categories offered for this sector (and those for every sector).
    pub sector: Option<crate::enterprise::domain::Sector>,
    /// Retired categories too (for the province's maintainers).
    pub include_inactive: Option<bool>,
}

/// A new category of the maintainer's province.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CreateCategoryRequest {
    /// Required; at most `limits::SHORT` characters, unique among the province's categories.
    #[schema(max_length = 100)]
    pub name: String,
    pub sector: Option<crate::enterprise::domain::Sector>,
    /// Default: after the last one.
    pub sort: Option<i32>,
}

/// A change to a category of the maintainer's province: only the fields given change.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct UpdateCategoryRequest {
    #[schema(max_length = 100)]
    pub name: Option<String>,
    /// Limit to a sector (`""` for every sector).
    #[schema(max_length = 100)]
    pub sector: Option<String>,
    pub sort: Option<i32>,
    /// `false` retires the category: hazards keep it, new ones cannot choose it.
    pub active: Option<bool>,
}

/// The categories offered to the caller (its province's and the shipped ones).
#[utoipa::path(get, path = "/api/v1/hazard-categories", tag = "hazards", params(CategoryQuery),
    responses((status = 200, body = Vec<CategoryResponse>)))]
pub async fn list_categories(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<CategoryQuery>,
) -> AppResult<Json<Vec<CategoryResponse>>> {
    let db = state.db.conn();
    let province = province_of_user(db, &user).await?;
    let rows = if q.include_inactive == Some(true) {
        all_of(db, province.as_deref()).await?
    } else {
        offered(db, province.as_deref(), q.sector.map(crate::enterprise::domain::Sector::as_str)).await?
    };
    Ok(Json(rows.into_iter().map(CategoryResponse::from).collect()))
}

fn check_name(fields: &mut FieldErrors, name: &str) {
    if name.trim().is_empty() {
        fields.entry("name".to_owned()).or_default().push("请填写类别名称".to_owned());
    }
    limits::check(fields, "name", "类别名称", Some(name), limits::SHORT);
}

fn parse_sector(fields: &mut FieldErrors, s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    match s.parse::<crate::enterprise::domain::Sector>() {
        Ok(v) => Some(v.as_str().to_owned()),
        Err(e) => {
            fields.entry("sector".to_owned()).or_default().push(e.to_string());
            None
        }
    }
}

/// 422 when another category offered in the province has this name.
async fn check_unique(tx: &Tx, province: &str, name: &str, except: Option<i64>) -> AppResult<()> {
    let clash = all_of(tx, Some(province)).await?.into_iter().any(|c| c.name == name.trim() && Some(c.id) != except);
    if clash {
        Err(AppError::validation("name", format!("已有名为“{}”的隐患类别", name.trim())))
    } else {
        Ok(())
    }
}

/// Adds a category to the maintainer's province.
pub async fn create(tx: &Tx, user: &CurrentUser, req: &CreateCategoryRequest) -> AppResult<hazard_category::Model> {
    let province = maintained_by(tx, user).await?;
    let mut fields = FieldErrors::new();
    check_name(&mut fields, &req.name);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    check_unique(tx, &province, &req.name, None).await?;
    let mine = hazard_category::Entity::find().filter(hazard_category::Column::ProvinceCode.eq(&province));
    let n = mine.clone().count(tx).await? + 1;
    let last = all_of(tx, Some(&province)).await?.iter().map(|c| c.sort).max().unwrap_or(0);
    let code = format!("p{}_{n:03}", province.get(..2).unwrap_or_default());
    hazard_category::ActiveModel {
        code: Set(code),
        name: Set(req.name.trim().to_owned()),
        sort: Set(req.sort.unwrap_or(last.saturating_add(10))),
        active: Set(true),
        province_code: Set(Some(province)),
        sector: Set(req.sector.map(|s| s.as_str().to_owned())),
        ..Default::default()
    }
    .insert(tx)
    .await
    .on_unique("category_code_taken", "类别编码冲突，请重试")
}

/// Changes a category of the maintainer's province; the shipped ones and other provinces' are 404.
pub async fn update(
    tx: &Tx,
    user: &CurrentUser,
    id: i64,
    req: &UpdateCategoryRequest,
) -> AppResult<hazard_category::Model> {
    let province = maintained_by(tx, user).await?;
    let found = hazard_category::Entity::find_by_id(id)
        .filter(hazard_category::Column::ProvinceCode.eq(&province))
        .one(tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut fields = FieldErrors::new();
    if let Some(n) = &req.name {
        check_name(&mut fields, n);
    }
    limits::check(&mut fields, "sector", "适用行业", req.sector.as_deref(), limits::SHORT);
    let sector =
        req.sector.as_deref().filter(|s| s.chars().count() <= limits::SHORT).map(|s| parse_sector(&mut fields, s));
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let mut a: hazard_category::ActiveModel = found.into();
    if let Some(n) = &req.name {
        check_unique(tx, &province, n, Some(id)).await?;
        a.name = Set(n.trim().to_owned());
    }
    if let Some(s) = sector {
        a.sector = Set(s);
    }
    if let Some(s) = req.sort {
        a.sort = Set(s);
    }
    if let Some(on) = req.active {
        a.active = Set(on);
    }
    Ok(a.update(tx).await?)
}

/// Add a category to the province's dictionary (regulators of a province-level bureau).
#[utoipa::path(post, path = "/api/v1/hazard-categories", tag = "hazards", request_body = CreateCategoryRequest,
    responses((status = 201, body = CategoryResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_category(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<CreateCategoryRequest>,
) -> AppResult<(StatusCode, Json<CategoryResponse>)> {
    let row = state.write(user.actor(), async |tx| create(tx, &user, &req).await).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// Rename, reorder, retire or limit to a sector a category of the province's dictionary.
#[utoipa::path(patch, path = "/api/v1/hazard-categories/{id}", tag = "hazards", params(("id" = i64, Path)),
    request_body = UpdateCategoryRequest,
    responses((status = 200, body = CategoryResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update_category(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<UpdateCategoryRequest>,
) -> AppResult<Json<CategoryResponse>> {
    let row = state.write(user.actor(), async |tx| update(tx, &user, id, &req).await).await?;
    Ok(Json(row.into()))
}

pub fn routes() -> ApiRoutes {
    ApiRoutes::new().routes(routes!(list_categories, create_category)).routes(routes!(update_category))
}

/// The province's categories in display order, for its page (retired ones included).
pub async fn for_page(state: &AppState, user: &CurrentUser) -> AppResult<Vec<hazard_category::Model>> {
    let db = state.db.conn();
    let province = province_of_user(db, user).await?;
    let mut rows = all_of(db, province.as_deref()).await?;
    rows.sort_by_key(|c| (c.sort, c.id));
    Ok(rows)
}
