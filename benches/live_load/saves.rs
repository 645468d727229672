//! The saves: one table's autosave, sent and checked against what the server answers.

use super::*;

/// A table that saves.
pub(crate) struct Slot {
    pub(crate) session: usize,
    pub(crate) number: i64,
    pub(crate) token: String,
    pub(crate) version: AtomicI64,
    pub(crate) busy: AtomicBool,
    pub(crate) acked: AtomicU64,
}

/// What the saves report.
#[derive(Default)]
pub(crate) struct Saves {
    pub(crate) sent: AtomicU64,
    pub(crate) acked: AtomicU64,
    pub(crate) limited: AtomicU64,
    pub(crate) conflicts: AtomicU64,
    pub(crate) refused: AtomicU64,
    pub(crate) io_errors: AtomicU64,
    /// Acknowledged with another version than base + 1.
    pub(crate) odd_version: AtomicU64,
    /// Due while every table still had a save in flight.
    pub(crate) skipped: AtomicU64,
    pub(crate) inflight: AtomicUsize,
    pub(crate) http: Mutex<Vec<Duration>>,
    pub(crate) first_error: Mutex<Option<String>>,
}

#[derive(Deserialize)]
pub(crate) struct SaveReply {
    pub(crate) version: i64,
}

/// A realistic autosave text (~300 characters), different for every save.
pub(crate) fn answer_text(i: u64, table: i64) -> String {
    format!(
        "第{i}稿（テーブル{table}）: フミさんの人生にとっての最善は、好きなものを口から味わう時間を守ることだと考えた。\
         医学的な見通し（嚥下機能の低下と誤嚥性肺炎のくり返し）、本人が元気なころに語った「管につながれてまで生きたくない」という言葉、\
         長女の「少しでも長く生きてほしい」という思いを分けて整理し、期間を決めた試行と再度の話し合いをチームとして提案する。\
         訪問看護師は食事場面を観察し、ケアマネジャーは家族の負担を確かめ、主治医は見通しを説明する。save {i}"
    )
}

pub(crate) async fn save(
    pool: Arc<Pool>,
    live: Arc<Live>,
    saves: Arc<Saves>,
    slots: Arc<Vec<Slot>>,
    index: usize,
    i: u64,
) {
    let slot = &slots[index];
    let base = slot.version.load(Ordering::Relaxed);
    let expected = base + 1;
    let body = format!(
        "prompt={}&base={base}&text={}",
        form_encode(PROMPT_KEY),
        form_encode(&answer_text(i, slot.number))
    );
    let path = format!("/t/{}/answer", slot.token);
    let key = (slot.session, slot.number, expected);
    let sent = Instant::now();
    live.pending
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key, sent);
    let result = pool.post(&path, &body, true).await;
    let took = sent.elapsed();
    let forget = || {
        live.pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&key);
    };
    let note = |what: String| {
        saves
            .first_error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert(what);
    };
    match result {
        Ok(reply) if reply.status == 200 => {
            match serde_json::from_slice::<SaveReply>(&reply.body) {
                Ok(saved) => {
                    saves.acked.fetch_add(1, Ordering::Relaxed);
                    slot.acked.fetch_add(1, Ordering::Relaxed);
                    saves
                        .http
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(took);
                    if saved.version != expected {
                        saves.odd_version.fetch_add(1, Ordering::Relaxed);
                        forget();
                    }
                    slot.version.store(saved.version, Ordering::Relaxed);
                }
                Err(e) => {
                    saves.refused.fetch_add(1, Ordering::Relaxed);
                    note(format!("save reply is not the expected JSON: {e}"));
                    forget();
                }
            }
        }
        Ok(reply) => {
            forget();
            let counter = match reply.status {
                429 => &saves.limited,
                409 => &saves.conflicts,
                _ => &saves.refused,
            };
            counter.fetch_add(1, Ordering::Relaxed);
            note(format!(
                "save refused: {} {}",
                reply.status,
                String::from_utf8_lossy(&reply.body)
                    .chars()
                    .take(200)
                    .collect::<String>()
            ));
            // A conflict names the current version: continue from there.
            if let Ok(current) = serde_json::from_slice::<SaveReply>(&reply.body) {
                slot.version.store(current.version, Ordering::Relaxed);
            }
        }
        Err(e) => {
            forget();
            saves.io_errors.fetch_add(1, Ordering::Relaxed);
            note(format!("save failed: {e}"));
        }
    }
    slot.busy.store(false, Ordering::Release);
    saves.inflight.fetch_sub(1, Ordering::Relaxed);
}
