//! HTTP handlers of the on-site record: extract, write through a use case, answer
//! with the whole record (what a tablet shows next).

use super::json::{
    FindingRequest, MeasureRequest, MediaRequest, RecordResponse, ReinspectionRequest, ResolveConflictRequest,
    ResultInput, SignatureRequest, StartRequest, VerdictsRequest,
};
use super::{access, complete, findings, reinspect, service, signatures, view};
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

type Record = AppResult<Json<RecordResponse>>;
type Created = AppResult<(StatusCode, Json<RecordResponse>)>;

async fn answer(state: &AppState, user: &CurrentUser, id: i64) -> Record {
    let db = state.db.conn();
    let i = access::visible(db, user, id).await?;
    Ok(Json(view::record(db, user, &i, crate::clock::china_date(state.clock.now())).await?))
}

/// The on-site record: items with outcomes, findings, measures, signatures, files.
#[utoipa::path(get, path = "/api/v1/inspections/{id}/record", tag = "inspections", params(("id" = i64, Path)),
    responses((status = 200, body = RecordResponse), (status = 404, body = ErrorBody)))]
pub async fn get_record(State(state): State<AppState>, user: CurrentUser, ApiPath(id): ApiPath<i64>) -> Record {
    answer(&state, &user, id).await
}

/// Start the approved inspection on site (team inspectors).
#[utoipa::path(post, path = "/api/v1/inspections/{id}/start", tag = "inspections", params(("id" = i64, Path)),
    request_body = StartRequest,
    responses((status = 200, body = RecordResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start_inspection(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<StartRequest>,
) -> Record {
    state.write(user.actor(), async |tx| service::start(tx, &user, id, &req).await).await?;
    answer(&state, &user, id).await
}

/// Save items' outcomes (an idempotent upsert per item).
#[utoipa::path(put, path = "/api/v1/inspections/{id}/results", tag = "inspections", params(("id" = i64, Path)),
    request_body = Vec<ResultInput>,
    responses((status = 200, body = RecordResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_results(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<Vec<ResultInput>>,
) -> Record {
    state.write(user.actor(), async |tx| super::results::save_results(tx, &user, id, &req).await).await?;
    answer(&state, &user, id).await
}

/// Everything a team's tablet needs to run the inspection without a network (the
/// team's inspectors; approved or in progress).
#[utoipa::path(get, path = "/api/v1/inspections/{id}/offline", tag = "inspections", params(("id" = i64, Path)),
    responses((status = 200, body = super::offline::OfflinePacket), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn offline_packet(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<super::offline::OfflinePacket>> {
    Ok(Json(super::offline::packet(state.db.conn(), &user, id, state.clock.now()).await?))
}

/// Settle a kept conflict on an item's outcome: keep the stored outcome (`kept_server`)
/// or take the other device's (`took_incoming`). Both stay on record.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/result-conflicts/{conflict_id}/resolve", tag = "inspections",
    params(("id" = i64, Path), ("conflict_id" = i64, Path)), request_body = ResolveConflictRequest,
    responses((status = 200, body = RecordResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn resolve_conflict(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, conflict_id)): ApiPath<(i64, i64)>,
    ApiJson(req): ApiJson<ResolveConflictRequest>,
) -> Record {
    let resolution = req.resolution;
    state.write(user.actor(), async |tx| super::results::resolve(tx, &user, id, conflict_id, resolution).await).await?;
    answer(&state, &user, id).await
}

/// Record a finding (an item or free text).
#[utoipa::path(post, path = "/api/v1/inspections/{id}/findings", tag = "inspections", params(("id" = i64, Path)),
    request_body = FindingRequest,
    responses((status = 201, body = RecordResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_finding(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<FindingRequest>,
) -> Created {
    state.write(user.actor(), async |tx| findings::create(tx, &user, id, &req).await).await?;
    Ok((StatusCode::CREATED, answer(&state, &user, id).await?))
}

/// Change a finding (the body replaces its fields) while the record is in progress.
#[utoipa::path(patch, path = "/api/v1/inspections/{id}/findings/{finding_id}", tag = "inspections",
    params(("id" = i64, Path), ("finding_id" = i64, Path)), request_body = FindingRequest,
    responses((status = 200, body = RecordResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_finding(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, fid)): ApiPath<(i64, i64)>,
    ApiJson(req): ApiJson<FindingRequest>,
) -> Record {
    state.write(user.actor(), async |tx| findings::update(tx, &user, id, fid, &req).await).await?;
    answer(&state, &user, id).await
}

/// Delete a finding while the record is in progress.
#[utoipa::path(delete, path = "/api/v1/inspections/{id}/findings/{finding_id}", tag = "inspections",
    params(("id" = i64, Path), ("finding_id" = i64, Path)),
    responses((status = 200, body = RecordResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn delete_finding(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, fid)): ApiPath<(i64, i64)>,
) -> Record {
    state.write(user.actor(), async |tx| findings::delete(tx, &user, id, fid).await).await?;
    answer(&state, &user, id).await
}

/// Record an on-site measure (WSL art. 65) as a decision.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/measures", tag = "inspections", params(("id" = i64, Path)),
    request_body = MeasureRequest,
    responses((status = 201, body = RecordResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_measure(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<MeasureRequest>,
) -> Created {
    state.write(user.actor(), async |tx| findings::add_measure(tx, &user, id, &req).await).await?;
    Ok((StatusCode::CREATED, answer(&state, &user, id).await?))
}

/// Record a signature, or the 负责人's refusal to sign (which opens the art. 68 report to-do).
#[utoipa::path(post, path = "/api/v1/inspections/{id}/signatures", tag = "inspections", params(("id" = i64, Path)),
    request_body = SignatureRequest,
    responses((status = 201, body = RecordResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_signature(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<SignatureRequest>,
) -> Created {
    state.write(user.actor(), async |tx| signatures::sign(tx, &user, id, &req).await).await?;
    Ok((StatusCode::CREATED, answer(&state, &user, id).await?))
}

/// Link 执法全过程记录 media (audio, video, photos) to the record.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/media", tag = "inspections", params(("id" = i64, Path)),
    request_body = MediaRequest,
    responses((status = 200, body = RecordResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_media(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<MediaRequest>,
) -> Record {
    state.write(user.actor(), async |tx| service::add_media(tx, &user, id, &req).await).await?;
    answer(&state, &user, id).await
}

/// Complete the record: findings into the ledger, documents issued, in one transaction.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/complete", tag = "inspections", params(("id" = i64, Path)),
    responses((status = 200, body = RecordResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn complete_inspection(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Record {
    state.write(user.actor(), async |tx| complete::complete(tx, &user, id).await).await?;
    answer(&state, &user, id).await
}

/// Create a re-inspection (复查) of a completed inspection (its team's inspectors).
#[utoipa::path(post, path = "/api/v1/inspections/{id}/reinspections", tag = "inspections", params(("id" = i64, Path)),
    request_body = ReinspectionRequest,
    responses((status = 201, body = RecordResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_reinspection(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<ReinspectionRequest>,
) -> Created {
    let child = state.write(user.actor(), async |tx| reinspect::create(tx, &user, id, &req).await).await?;
    Ok((StatusCode::CREATED, answer(&state, &user, child.id).await?))
}

/// Record a re-inspection: each hazard of the parent passed or failed, through the ledger's verify.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/verdicts", tag = "inspections", params(("id" = i64, Path)),
    request_body = VerdictsRequest,
    responses((status = 200, body = RecordResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_verdicts(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<VerdictsRequest>,
) -> Record {
    state.write(user.actor(), async |tx| reinspect::record(tx, &user, id, &req).await).await?;
    answer(&state, &user, id).await
}
