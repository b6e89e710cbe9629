//! Resumable chunked uploads: a 200 MiB recording cut off mid-chunk and
//! resumed, a wrong declared hash, ownership and expiry.

use super::{World, attachment_rows, private_files, world};
use crate::helpers::{TestApp, TestUser, on_each_backend_with};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Digest;
use tokio::io::AsyncWriteExt;

const MIB: u64 = 1 << 20;
const CHUNK: u64 = 16 * MIB;
const TOTAL: u64 = 200 * MIB;
/// An MP4 file type box, so the content is recognised as video.
const MP4_HEAD: &[u8] = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom";

/// Bytes `[from, from + len)` of a generated recording (the same every time).
fn recording(from: u64, len: u64) -> Vec<u8> {
    (from..from + len)
        .map(|p| match usize::try_from(p).ok().and_then(|i| MP4_HEAD.get(i)) {
            Some(b) => *b,
            None => (p.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as u8,
        })
        .collect()
}

fn chunk_at(i: u64) -> (u64, u64) {
    let first = i * CHUNK;
    (first, CHUNK.min(TOTAL - first))
}

async fn declare(app: &TestApp, u: &TestUser, body: &Value) -> i64 {
    let (status, v) = app.post(&u.token, "/api/v1/uploads", body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["received"], 0);
    v["id"].as_i64().unwrap()
}

async fn put(app: &TestApp, u: &TestUser, id: i64, first: u64, bytes: Vec<u8>, total: u64) -> reqwest::Response {
    let last = first + bytes.len() as u64 - 1;
    app.client
        .put(app.url(&format!("/api/v1/uploads/{id}")))
        .bearer_auth(&u.token)
        .header("content-range", format!("bytes {first}-{last}/{total}"))
        .body(bytes)
        .send()
        .await
        .unwrap()
}

/// Sends a chunk's headers and its first MiB, then drops the connection.
async fn cut_off(app: &TestApp, u: &TestUser, id: i64, first: u64) {
    let mut socket = tokio::net::TcpStream::connect(app.base.trim_start_matches("http://")).await.unwrap();
    let head = format!(
        "PUT /api/v1/uploads/{id} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {}\r\n\
         Content-Range: bytes {first}-{}/{TOTAL}\r\nContent-Length: {CHUNK}\r\n\r\n",
        u.token,
        first + CHUNK - 1
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    socket.write_all(&recording(first, MIB)).await.unwrap();
    socket.flush().await.unwrap();
    drop(socket);
}

/// Sends a chunk, waiting (bounded) while the cut-off request still holds the upload.
async fn put_when_free(app: &TestApp, u: &TestUser, id: i64, i: u64) -> reqwest::Response {
    let (first, len) = chunk_at(i);
    for _ in 0..100 {
        let res = put(app, u, id, first, recording(first, len), TOTAL).await;
        if res.status() != StatusCode::CONFLICT {
            return res;
        }
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "upload_busy", "{body}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the interrupted chunk never gave the upload back");
}

fn expected_sha256() -> String {
    let mut hasher = sha2::Sha256::new();
    for i in 0..TOTAL.div_ceil(CHUNK) {
        let (first, len) = chunk_at(i);
        hasher.update(recording(first, len));
    }
    hex::encode(hasher.finalize())
}

async fn upload_first_chunks(app: &TestApp, w: &World, id: i64, chunks: u64) {
    for i in 0..chunks {
        let (first, len) = chunk_at(i);
        let res = put(app, &w.principal, id, first, recording(first, len), TOTAL).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["upload-offset"].to_str().unwrap(), (first + len).to_string());
    }
}

#[tokio::test]
async fn a_200_mib_recording_cut_off_mid_chunk_resumes_into_one_attachment_with_its_hash() {
    let sha = expected_sha256();
    let (_files, settings) = private_files();
    on_each_backend_with(settings, |app| {
        let sha = sha.clone();
        async move {
            let w = world(&app).await;
            let body = json!({"file_name": "执法记录仪/20261121_0800.mp4", "size": TOTAL, "sha256": sha.to_uppercase(),
                "captured_at": "2026-11-21T08:00:00+08:00", "position_unavailable": true, "device": "DSJ-V9 执法记录仪"});
            let id = declare(&app, &w.principal, &body).await;
            upload_first_chunks(&app, &w, id, 5).await;
            cut_off(&app, &w.principal, id, 5 * CHUNK).await;

            let (status, v) = app.get(&w.principal.token, &format!("/api/v1/uploads/{id}")).await;
            assert_eq!(status, StatusCode::OK, "{v}");
            assert_eq!(v["received"], 5 * CHUNK, "only whole chunks count: {v}");
            let (first, len) = chunk_at(7);
            let skipped = put(&app, &w.principal, id, first, recording(first, len), TOTAL).await;
            assert_eq!(skipped.status(), StatusCode::CONFLICT);
            assert_eq!(skipped.headers()["upload-offset"].to_str().unwrap(), (5 * CHUNK).to_string());
            let err: Value = skipped.json().await.unwrap();
            assert_eq!(err["error"]["code"], "offset_mismatch");
            assert_eq!(attachment_rows(&app).await, 0, "nothing is recorded before the last byte");

            let chunks = TOTAL.div_ceil(CHUNK);
            let mut last = Value::Null;
            for i in 5..chunks {
                let res = put_when_free(&app, &w.principal, id, i).await;
                let want = if i + 1 == chunks { StatusCode::CREATED } else { StatusCode::OK };
                assert_eq!(res.status(), want);
                last = res.json().await.unwrap();
            }
            let receipt = &last["receipt"];
            assert_eq!(receipt["sha256"], sha.as_str(), "{last}");
            assert_eq!(receipt["size"], TOTAL);
            assert!(receipt["received_at"].is_string());
            assert_eq!(attachment_rows(&app).await, 1);
            let attachment = receipt["attachment_id"].as_i64().unwrap();
            let dir = &app.state.config.files_dir;
            let (stored_sha, stored_len) =
                anjian::attachment::store::hash_file(&anjian::attachment::path_of(dir, &sha)).await.unwrap();
            assert_eq!((stored_sha.as_str(), stored_len), (sha.as_str(), TOTAL));
            let partials = std::fs::read_dir(dir.join(".uploads")).unwrap().count();
            assert_eq!(partials, 0, "no partial file is left");

            // Asking again gives the same receipt; the file is served in ranges.
            let (_, again) = app.get(&w.principal.token, &format!("/api/v1/uploads/{id}")).await;
            assert_eq!(&again["receipt"], receipt);
            let res = app
                .client
                .get(app.url(&format!("/api/v1/attachments/{attachment}")))
                .bearer_auth(&w.principal.token)
                .header("range", "bytes=104857590-104857609")
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);
            assert_eq!(res.headers()["content-type"], "video/mp4");
            assert_eq!(res.headers()["content-range"], format!("bytes 104857590-104857609/{TOTAL}").as_str());
            assert_eq!(res.bytes().await.unwrap().as_ref(), recording(104_857_590, 20).as_slice());
            let (_, meta) = app.get(&w.principal.token, &format!("/api/v1/uploads/{id}")).await;
            assert_eq!(meta["file_name"], "20261121_0800.mp4");
        }
    })
    .await;
}

#[tokio::test]
async fn a_file_that_does_not_match_its_declared_hash_is_refused_and_nothing_is_kept() {
    let (_files, settings) = private_files();
    on_each_backend_with(settings, |app| async move {
        let w = world(&app).await;
        let audio = b"ID3\x04\0\0\0\0\0\0recorded interview".to_vec();
        let size = audio.len();
        let id = declare(&app, &w.principal, &json!({"file_name": "询问.mp3", "size": size, "sha256": "0".repeat(64)}))
            .await;
        let res = put(&app, &w.principal, id, 0, audio.clone(), size as u64).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["code"], "hash_mismatch", "{err}");
        let (status, _) = app.get(&w.principal.token, &format!("/api/v1/uploads/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "the upload is dropped");

        let (status, err) =
            super::upload_with(&app, &w.principal, "询问.mp3", audio.clone(), &[("sha256", &"ab".repeat(32))]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["error"]["code"], "hash_mismatch", "{err}");
        assert_eq!(attachment_rows(&app).await, 0);
        let actual = hex::encode(sha2::Sha256::digest(&audio));
        assert!(
            !anjian::attachment::path_of(&app.state.config.files_dir, &actual).exists(),
            "the bytes are not stored"
        );

        let (status, ok) = super::upload_with(&app, &w.principal, "询问.mp3", audio, &[("sha256", &actual)]).await;
        assert_eq!(status, StatusCode::CREATED, "{ok}");
        assert_eq!(ok["content_type"], "audio/mpeg");
        assert_eq!(ok["sha256"], actual.as_str());
    })
    .await;
}

#[tokio::test]
async fn every_bad_declaration_is_listed_at_once() {
    let (_files, settings) = private_files();
    on_each_backend_with(settings, |app| async move {
        let w = world(&app).await;
        let body = json!({"file_name": "", "size": 5_i64 << 30, "sha256": "xyz", "latitude": 91.0,
            "accuracy_m": -3.0, "device": "录".repeat(201), "captured_at": "2027-01-01T00:00:00Z"});
        let (status, err) = app.post(&w.principal.token, "/api/v1/uploads", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&String> = err["error"]["fields"].as_object().unwrap().keys().collect();
        assert_eq!(
            fields,
            ["accuracy_m", "captured_at", "device", "file_name", "latitude", "longitude", "sha256", "size"]
        );
        let form = [("latitude", "north"), ("longitude", "200"), ("position_unavailable", "true")];
        let (status, err) = super::upload_with(&app, &w.principal, "a.jpg", b"\xFF\xD8\xFF\xE0".to_vec(), &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&String> = err["error"]["fields"].as_object().unwrap().keys().collect();
        assert_eq!(fields, ["latitude", "longitude", "position_unavailable"], "{err}");
    })
    .await;
}

#[tokio::test]
async fn uploads_belong_to_their_user_refuse_oversized_chunks_and_expire() {
    let (_files, settings) = private_files();
    on_each_backend_with(settings, |app| async move {
        let w = world(&app).await;
        let id = declare(&app, &w.principal, &json!({"file_name": "a.webm", "size": 64})).await;
        let (status, _) = app.get(&w.officer.token, &format!("/api/v1/uploads/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "another user's upload");
        let res = put(&app, &w.officer, id, 0, vec![0; 10], 64).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let exe = declare(&app, &w.principal, &json!({"file_name": "c.mp4", "size": 1000})).await;
        let res = put(&app, &w.principal, exe, 0, [b"MZ\x90\0".as_slice(), &[0; 96]].concat(), 1000).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "the type is checked on the first chunk");
        let (status, _) = app.get(&w.principal.token, &format!("/api/v1/uploads/{exe}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "and the upload dropped");
        let big = declare(&app, &w.principal, &json!({"file_name": "b.mp4", "size": 40 * MIB})).await;
        let res = app
            .client
            .put(app.url(&format!("/api/v1/uploads/{big}")))
            .bearer_auth(&w.principal.token)
            .header("content-range", format!("bytes 0-{}/{}", 17 * MIB - 1, 40 * MIB))
            .body(vec![0u8; 10])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let res = put(&app, &w.principal, big, 0, recording(0, MIB), 40 * MIB).await;
        assert_eq!(res.status(), StatusCode::OK);
        let partial = std::fs::read_dir(app.state.config.files_dir.join(".uploads")).unwrap().count();
        assert_eq!(partial, 1);

        app.clock.set(crate::helpers::start_time() + chrono::Duration::hours(25));
        assert_eq!(anjian::attachment::uploads::sweep(&app.state).await.unwrap(), 2);
        let sessions = {
            use sea_orm::{EntityTrait, PaginatorTrait};
            anjian::entities::upload_session::Entity::find().count(app.state.db.conn()).await.unwrap()
        };
        assert_eq!(sessions, 0, "expired uploads are gone");
        let partial = std::fs::read_dir(app.state.config.files_dir.join(".uploads")).unwrap().count();
        assert_eq!(partial, 0, "its bytes are gone");
        assert_eq!(anjian::attachment::uploads::sweep(&app.state).await.unwrap(), 0);
    })
    .await;
}
