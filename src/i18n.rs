//! UI strings in Japanese (first) and English. Content text is not translated here:
//! a curriculum is written in one language, and English editions are their own files.

/// (key, Japanese, English). `{0}`, `{1}`… are replaced by arguments.
const STRINGS: &[(&str, &str, &str)] = &[
    ("app.name", "ACPワークブック", "ACP Workbook"),
    ("lang.switch", "表示言語", "Language"),
    ("nav.home", "トップページ", "Home"),
    ("nav.join", "テーブルで参加する", "Join as a table"),
    ("unit.min", "分", " min"),
    // The facilitator's own notes; copying a rehearsal's
    (
        "fac.own_notes",
        "ファシリテーターのメモ（この研修会）",
        "Facilitator's notes (this session)",
    ),
    (
        "fac.own_notes_help",
        "気づいたこと、時間配分、次回への申し送りなど。参加者には見えません。",
        "What you noticed, timing, hand-over for next time. Participants never see these.",
    ),
    (
        "fac.own_notes_help_rehearsal",
        "リハーサルで気づいたことを書いておくと、本番の研修会のファシリテーター画面に取り込めます。参加者には見えません。",
        "Write down what the rehearsal showed; the real session's facilitator page can copy it in. Participants never see these.",
    ),
    ("fac.notes_save", "メモを保存", "Save notes"),
    ("fac.notes_saved", "保存しました", "Saved"),
    (
        "fac.notes_rehearsals_hint",
        "リハーサルのメモ {0}件を取り込めます",
        "{0} rehearsal notes can be copied in",
    ),
    ("fac.notes_chars", "{0}文字", "{0} characters"),
    (
        "fac.notes_rehearsals",
        "リハーサルのメモ",
        "Notes from rehearsals",
    ),
    (
        "fac.notes_copy",
        "このメモを取り込む",
        "Copy these notes in",
    ),
    ("fac.notes_preview", "内容を見る", "Show"),
    (
        "fac.notes_from",
        "— リハーサル「{0}」（{1}）のメモ —",
        "— Notes from the rehearsal \"{0}\" ({1}) —",
    ),
    (
        "err.notes_long",
        "メモは{0}文字までです。短くしてから保存してください（書いた文は下に残っています）。",
        "Notes take at most {0} characters. Shorten them and save again (what you wrote is kept below).",
    ),
    (
        "err.no_rehearsal",
        "そのリハーサルのメモは見つかりません。同じ教育プログラムのリハーサルで、メモのあるものだけを取り込めます。",
        "Those rehearsal notes were not found. Only notes of a rehearsal of the same curriculum can be copied.",
    ),
    (
        "fac.phone_page",
        "参加者のスマートフォン用ページ（受付・アンケート）",
        "Participants' phone page (check-in, survey)",
    ),
    ("fac.survey_count", "{0}：{1}人が回答", "{0}: {1} answered"),
    (
        "fac.survey_crowded",
        "注意：同じ端末（同じネットワークアドレス）から{0}件の回答があります。共用のテーブル画面でなければ、同じ人が何度も答えているかもしれません。",
        "Note: {0} answers came from one device (one network address). Unless it is a shared table screen, one person may have answered many times.",
    ),
    (
        "record.survey_individual",
        "アンケートは一人ひとりが答えました（回答 {0}人）。集計は研修会の報告にあります。",
        "Each person answered the survey alone ({0} answers). The summary is in the session report.",
    ),
    // The reception desk on the day
    ("desk.title", "当日の受付", "Check-in desk"),
    (
        "desk.count",
        "受付済み {0}人 / 名簿 {1}人",
        "{0} of {1} on the roster have arrived",
    ),
    (
        "desk.lead",
        "番号・名前・所属で探して「受付」を押し、席をお伝えください。参加者は自分のスマートフォンでも受付できます（参加コード {0}、参加ページの「受付・アンケート」）。",
        "Find people by number, name or organization, press Check in, and tell them their table. People can also check in on their own phone (code {0}, \"check-in and survey\" on the join page).",
    ),
    (
        "desk.search",
        "番号・名前・所属",
        "Number, name or organization",
    ),
    ("desk.find", "探す", "Find"),
    ("desk.all", "全員を表示", "Show everyone"),
    (
        "desk.add_late",
        "名簿にいない方（当日参加）を追加する",
        "Add someone who is not on the roster (arrived on the day)",
    ),
    ("desk.state", "受付", "Arrived"),
    ("desk.check_in", "受付", "Check in"),
    ("desk.undo", "取り消す", "Undo"),
    ("desk.arrived_at", "{0} 受付", "arrived {0}"),
    ("desk.no_seat", "席未定", "not seated"),
    (
        "desk.none_found",
        "「{0}」に当たる人は名簿にいません。番号や名前を確かめるか、当日参加として追加してください。",
        "Nobody on the roster matches \"{0}\". Check the number or name, or add them as arriving on the day.",
    ),
    (
        "err.person",
        "その参加者は名簿にいません。ページを開き直してください。",
        "That person is not on the roster. Open the page again.",
    ),
    (
        "join.phone_title",
        "ご自分のスマートフォンで（受付・アンケート）",
        "On your own phone (check-in, survey)",
    ),
    (
        "join.phone_lead",
        "参加者お一人おひとりは、こちらから受付とアンケートができます。テーブルの画面にはなりません。",
        "Each participant can check in and answer the survey here. This does not open a table screen.",
    ),
    (
        "join.phone_submit",
        "受付・アンケートを開く",
        "Open check-in and survey",
    ),
    ("survey.qr", "アンケートのQRコード", "QR code of the survey"),
    (
        "survey.call_title",
        "アンケートは一人ずつ、ご自分のスマートフォンで",
        "Everyone answers the survey alone, on their own phone",
    ),
    (
        "survey.call_lead",
        "QRコードを読み取るか、下のアドレスを開いてください。無記名で、1人1回です。",
        "Scan the QR code or open the address below. Answers are anonymous, one per person.",
    ),
    (
        "survey.table_note",
        "このステップでは、グループとしての回答はありません。",
        "There is no group answer in this step.",
    ),
    (
        "survey.answered",
        "{0}人が回答しました",
        "{0} people have answered",
    ),
    ("me.title", "受付・アンケート", "Check-in and survey"),
    ("me.checkin", "受付", "Check-in"),
    (
        "me.kiosk_title",
        "この画面でアンケートに答える",
        "Answer the survey on this screen",
    ),
    (
        "me.kiosk_lead",
        "スマートフォンをお持ちでない方は、ここで一人ずつ答えてください。送信すると、次の方のために画面が空になります。",
        "People without a phone answer here one at a time. After sending, the form clears for the next person.",
    ),
    (
        "me.kiosk_next",
        "送信しました。次の方に画面を渡してください。",
        "Sent. Hand the screen to the next person.",
    ),
    (
        "me.kiosk_full",
        "この画面からの回答が、1テーブルの席数（{0}人）に達しました。ほかの方はご自分のスマートフォンで答えてください。",
        "This screen has answered for as many people as a table seats ({0}). Others please answer on their own phone.",
    ),
    (
        "survey.kiosk_link",
        "スマートフォンのない方：この画面で答える",
        "No phone? Answer on this screen",
    ),
    (
        "me.checkin_lead",
        "座席表や案内にあるあなたの番号を入れてください。席（グループ）をお知らせします。",
        "Enter your number from the seating list or invitation. We will show you your table.",
    ),
    ("me.number", "あなたの番号", "Your number"),
    ("me.checkin_submit", "受付する", "Check in"),
    (
        "me.checked_in",
        "受付済み：{0}番（{1}）",
        "Checked in: No. {0} ({1})",
    ),
    (
        "me.your_table",
        "あなたの席は 第{0}グループ です",
        "Your table is Table {0}",
    ),
    (
        "me.checkin_number",
        "番号を数字で入れてください（例：23）。",
        "Enter your number in digits (e.g. 23).",
    ),
    (
        "me.checkin_unknown",
        "{0}番の方は名簿にいません。番号を確かめるか、受付でお名前を伝えてください。",
        "There is no No. {0} on the list. Check the number, or give your name at the desk.",
    ),
    (
        "me.checkin_already",
        "この端末ではすでに{0}番として受付しました。別の人の受付は、その人の端末か受付でしてください。",
        "This phone has already checked in as No. {0}. Check someone else in on their own phone or at the desk.",
    ),
    (
        "me.checkin_taken",
        "この番号はすでに受付済みです。ご自分の番号なら、受付でお知らせください。",
        "This number has already been checked in. If it is yours, please tell the reception desk.",
    ),
    (
        "me.checkin_limit",
        "この端末（アドレス）からの受付が多すぎます。受付でお名前を伝えてください。",
        "Too many check-ins from this device (address). Please give your name at the reception desk.",
    ),
    (
        "me.survey_limit",
        "この端末（アドレス）からの回答が上限に達しました。ご自分の端末か、受付でお知らせください。",
        "This device (address) has sent as many answers as allowed. Please use your own device or tell the desk.",
    ),
    (
        "me.checkin_closed",
        "この研修会は終了しているため、受付できません。",
        "This session has ended; check-in is closed.",
    ),
    (
        "me.anonymous",
        "回答は無記名です。お名前や番号とは結びつけずに集計します。",
        "Answers are anonymous: they are counted without your name or number.",
    ),
    (
        "me.profession",
        "あなたの職種（任意）",
        "Your profession (optional)",
    ),
    ("me.profession_none", "答えない", "Prefer not to say"),
    (
        "me.once",
        "送信は1人1回です。送ったあとは変更できません。",
        "You can send this once; it cannot be changed afterwards.",
    ),
    ("me.send", "送信する", "Send"),
    (
        "me.thanks",
        "回答を受け付けました。ご協力ありがとうございました。",
        "Your answers are in. Thank you.",
    ),
    (
        "me.not_yet",
        "このアンケートはまだ始まっていません。始まるとこの画面に表示されます（表示されないときは「今すぐ更新」を押してください）。",
        "This survey has not started yet. It will appear on this page when it does (if it does not, press Refresh now).",
    ),
    ("me.reload", "今すぐ更新", "Refresh now"),
    (
        "me.missed",
        "このアンケートの受付は終わりました。",
        "This survey is no longer taking answers.",
    ),
    (
        "me.survey_ended",
        "研修会が終了したため、回答は締め切りました。",
        "The session has ended; answers are closed.",
    ),
    (
        "me.no_survey",
        "この研修会にはアンケートはありません。",
        "This session has no survey.",
    ),
    (
        "me.ended",
        "この研修会は終了しました。ご参加ありがとうございました。",
        "This session has ended. Thank you for taking part.",
    ),
    (
        "me.no_such_survey",
        "そのアンケートはこの研修会にありません。受付・アンケートのページを開き直してください。",
        "This session has no such survey. Open the check-in and survey page again.",
    ),
    (
        "me.no_cookie",
        "この端末のブラウザーがCookieを受け付けていないため、回答を1人1回として受け付けられません。プライベートブラウズをやめるか、Cookieを許可してから、このページを開き直してください。",
        "This browser does not accept cookies, so the answer cannot be counted once per person. Leave private browsing or allow cookies, then open this page again.",
    ),
    (
        "me.survey_closed",
        "このアンケートは今は受け付けていません。回答は送られていません。",
        "This survey is not taking answers now. Your answers were not sent.",
    ),
    (
        "me.already_answered",
        "この端末からはすでに回答を受け付けています。アンケートの回答は1人1回です。",
        "This phone has already answered. The survey takes one answer per person.",
    ),
    (
        "me.err_empty",
        "どの質問にも答えていません。少なくとも1問に答えてから送信してください。",
        "No question was answered. Answer at least one, then send.",
    ),
    (
        "me.err_scale",
        "「{0}」は目盛りの数字から1つ選んでください。",
        "For \"{0}\", choose one point on the scale.",
    ),
    (
        "me.err_choice",
        "「{0}」に、選択肢にない答えが送られました。選択肢から選び直してください。",
        "An answer to \"{0}\" is not one of its options. Choose again from the list.",
    ),
    (
        "me.err_one",
        "「{0}」は1つだけ選んでください。",
        "For \"{0}\", choose only one.",
    ),
    (
        "me.err_long",
        "「{0}」は{1}文字までです。短くしてから送信してください（入力した文はそのまま残っています）。",
        "\"{0}\" takes at most {1} characters. Shorten it and send again (what you typed is kept).",
    ),
    // Home
    ("home.title", "トップ", "Home"),
    (
        "home.lead",
        "人生会議（ACP）の多職種事例検討・勉強会を、テーブルごとの画面で進めるためのワークブックです。",
        "A workbook for multidisciplinary advance care planning (ACP) case reviews and study sessions, run on one shared screen per table.",
    ),
    ("home.join_button", "テーブルで参加する", "Join as a table"),
    ("home.sessions", "研修会・勉強会", "Sessions"),
    (
        "home.no_sessions",
        "まだ研修会はありません。下の教育プログラムから準備してください。",
        "No sessions yet. Prepare one from a curriculum below.",
    ),
    (
        "home.facilitate",
        "ファシリテーター画面",
        "Facilitator view",
    ),
    ("home.record", "記録", "Record"),
    ("home.curricula", "教育プログラム", "Curricula"),
    // Curriculum and steps
    ("curriculum.minutes", "{0}分", "{0} min"),
    ("curriculum.steps", "{0}ステップ", "{0} steps"),
    ("curriculum.objectives", "学習目標", "Learning objectives"),
    ("curriculum.audience", "対象職種", "Audience"),
    ("curriculum.timetable", "進行表", "Timetable"),
    ("step.title", "ステップ", "Step"),
    ("step.kind", "種類", "Kind"),
    ("step.minutes", "時間（分）", "Minutes"),
    ("step.case", "事例", "Case"),
    ("kind.lecture", "講義", "Lecture"),
    ("kind.case-walk", "事例を読む", "Case walk"),
    ("kind.group-work", "グループワーク", "Group work"),
    ("kind.reflection", "ふりかえり", "Reflection"),
    ("kind.survey", "アンケート", "Survey"),
    ("kind.plenary", "全体発表", "Plenary report"),
    // Sessions
    (
        "session.new",
        "この教育プログラムで研修会を準備する",
        "Prepare a session of this curriculum",
    ),
    ("session.title", "研修会の名前", "Session title"),
    ("session.held_on", "開催日", "Date"),
    ("session.place", "会場", "Place"),
    (
        "session.tables",
        "テーブル（グループ）の数",
        "Number of tables",
    ),
    ("session.create", "研修会をつくる", "Create the session"),
    ("session.status", "状態", "Status"),
    ("session.open", "開催中", "Open"),
    ("session.closed", "終了", "Closed"),
    (
        "form.fix",
        "次の点を直してください。",
        "Please correct the following.",
    ),
    (
        "form.err_title",
        "研修会の名前を200文字以内で入れてください。",
        "Enter a session title of at most 200 characters.",
    ),
    (
        "form.err_place",
        "会場は200文字以内で入れてください。",
        "Keep the place to at most 200 characters.",
    ),
    (
        "form.err_date",
        "開催日を 2026-11-30 の形で入れてください。",
        "Enter the date as 2026-11-30.",
    ),
    (
        "form.err_tables",
        "テーブルの数は1から{0}までの数で入れてください。",
        "Enter a number of tables from 1 to {0}.",
    ),
    // Facilitator
    ("fac.title", "ファシリテーター", "Facilitator"),
    ("fac.join_code", "参加コード", "Join code"),
    (
        "fac.join_how",
        "各テーブルの画面で「テーブルで参加する」を開き、このコードとテーブル番号を入れます。",
        "On each table's screen, open “Join as a table” and enter this code and the table number.",
    ),
    ("fac.step_of", "ステップ {0} / {1}", "Step {0} of {1}"),
    ("fac.prev", "前のステップ", "Previous step"),
    ("fac.next", "次のステップへ", "Next step"),
    ("fac.refresh", "最新の状態に更新", "Refresh"),
    ("fac.steps", "進行", "Steps"),
    ("fac.tables", "テーブル", "Tables"),
    ("fac.not_joined", "未参加", "Not joined"),
    ("fac.not_started", "まだ記入なし", "Not started"),
    ("fac.started", "記入あり", "Answering"),
    // The facilitator's wall of tables (src/server/wall.rs).
    ("wall.title", "テーブルの様子", "Tables at a glance"),
    ("wall.state.absent", "未参加", "Not joined"),
    ("wall.state.working", "記入中", "Working"),
    ("wall.state.idle", "止まっている", "Idle"),
    ("wall.state.behind", "遅れ気味", "Behind"),
    ("wall.state.locked", "締め切り", "Locked"),
    ("wall.state.done", "記入済み", "Done"),
    ("wall.filter_label", "状態で絞り込む", "Filter by state"),
    ("wall.filter_all", "すべて", "All"),
    ("wall.last_save", "保存 {0}", "Saved {0}"),
    ("wall.never_saved", "保存なし", "Nothing saved"),
    ("wall.ticks", "{1}問中{0}問に記入", "{0} of {1} answered"),
    ("wall.more", "ほか{0}", "+{0}"),
    (
        "wall.stale",
        "内容の変更後、問いに合わない回答があります（記録には残っています）",
        "Some answers no longer fit their question after a content change (they are kept in the record)",
    ),
    ("wall.stale_short", "要確認", "Check"),
    ("wall.spotlit", "投影中", "On projector"),
    (
        "wall.help",
        "{0}分以上保存がない参加テーブルは「止まっている」と表示します。タイルを押すとそのテーブルの回答が横に開きます。",
        "A joined table with no save for {0} minutes or more shows as idle. Press a tile to open that table's answers beside the wall.",
    ),
    (
        "wall.open_table",
        "テーブル画面を開く",
        "Open the table screen",
    ),
    ("wall.back", "テーブルの一覧に戻る", "Back to all tables"),
    ("wall.close_panel", "閉じる", "Close"),
    (
        "wall.no_prompts",
        "このステップにはテーブルへの問いがありません。",
        "This step asks the tables nothing.",
    ),
    (
        "wall.ended",
        "研修会は終了しました",
        "The session has ended",
    ),
    (
        "wall.ended_lead",
        "記録とPDFはこちらから開けます。",
        "The record and PDFs are here.",
    ),
    ("wall.tools", "進行の道具", "Tools"),
    (
        "wall.all_answers",
        "このステップの全テーブルの回答（一覧）",
        "Every table's answers in this step (list)",
    ),
    ("fac.notes", "ファシリテーターへのメモ", "Facilitator notes"),
    (
        "fac.step_text",
        "テーブルに表示している本文",
        "Text shown to tables",
    ),
    ("fac.paths", "各テーブルの進み方", "Each table's path"),
    (
        "fac.all_cards",
        "すべての職種別情報と場面のメモ",
        "All role cards and scene notes",
    ),
    ("fac.close_title", "研修会を終了する", "Close the session"),
    (
        "fac.close_confirm",
        "終了すると、テーブルは記入できなくなります（記録は残ります）。",
        "After closing, tables can no longer write (the record stays).",
    ),
    ("fac.close", "終了する", "Close"),
    (
        "fac.closed",
        "この研修会は終了しました。",
        "This session has ended.",
    ),
    (
        "fac.record_link",
        "研修会の記録を見る",
        "View the session record",
    ),
    // Join and roster
    ("join.title", "テーブルで参加する", "Join as a table"),
    (
        "join.lead",
        "ファシリテーターが示す参加コードと、あなたのテーブルの番号を入れてください。",
        "Enter the join code shown by the facilitator and your table's number.",
    ),
    ("join.code", "参加コード", "Join code"),
    ("join.table", "テーブル番号", "Table number"),
    ("join.submit", "参加する", "Join"),
    // A table belongs to its devices: claiming, pairing code, QR, the facilitator's approval
    ("device.label", "端末{0}", "Device {0}"),
    (
        "device.title",
        "テーブル{0}は、すでに別の端末で使われています",
        "Table {0} is already in use on another device",
    ),
    (
        "device.lead",
        "最初に参加した端末がそのテーブルの画面になります。参加コードと番号だけでは、ほかの端末からは開けません。このテーブルに加わるには、次のどれかをしてください。",
        "The first device to join a table becomes that table's screen. The join code and number alone do not open it on another device. To join this table, do one of these:",
    ),
    (
        "device.released_lead",
        "この端末は、ファシリテーターによってテーブル{0}から外されました。もう一度加わるには、次のどれかをしてください。",
        "The facilitator removed this device from table {0}. To join again, do one of these:",
    ),
    (
        "device.way_qr",
        "テーブルに置かれたQRコードを、この端末のカメラで読み取る。",
        "Scan the QR code on the table's card with this device's camera.",
    ),
    (
        "device.way_pairing",
        "テーブルの画面に出ている「ペアリングコード」（6桁の数字）を下に入れる。",
        "Type the pairing code (six digits) shown on the table's screen below.",
    ),
    (
        "device.way_ask",
        "ファシリテーターに承認を頼む（ファシリテーターの画面に表示されます）。",
        "Ask the facilitator to let this device in (it appears on the facilitator's screen).",
    ),
    ("device.pairing", "ペアリングコード", "Pairing code"),
    (
        "device.pair_submit",
        "コードで参加する",
        "Join with the code",
    ),
    (
        "device.ask_submit",
        "ファシリテーターに頼む",
        "Ask the facilitator",
    ),
    (
        "device.wrong_table",
        "テーブル番号を間違えたときは、参加ページに戻ってください。",
        "If you typed the wrong table number, go back to the join page.",
    ),
    (
        "device.pairing_wrong",
        "ペアリングコードが違います。テーブルの画面に出ている今のコードを入れてください（コードは使うたび、また時間がたつと変わります）。",
        "That pairing code is not right. Type the code the table's screen shows now (it changes after each use and after a while).",
    ),
    (
        "device.qr_wrong",
        "このQRコードは、このテーブルのものではないか、古いものです。テーブルの画面のペアリングコードを使うか、ファシリテーターに頼んでください。",
        "This QR code is not this table's, or it is an old one. Use the pairing code on the table's screen, or ask the facilitator.",
    ),
    (
        "device.on_screen",
        "ほかの端末をつなぐときのペアリングコード",
        "Pairing code for another device",
    ),
    ("device.this_device", "この端末：{0}", "This device: {0}"),
    (
        "device.wait_title",
        "ファシリテーターの承認を待っています",
        "Waiting for the facilitator",
    ),
    (
        "device.wait_lead",
        "テーブル{0}に加わる許可を、ファシリテーターに頼みました。承認されると、この画面が自動でテーブルの画面に変わります。",
        "You asked the facilitator to let this device join table {0}. Once approved, this page turns into the table's screen by itself.",
    ),
    ("device.wait_check", "もう一度確かめる", "Check again"),
    (
        "device.wait_refused",
        "ファシリテーターが、この端末の参加を断りました。テーブルのQRコードかペアリングコードを使うか、ファシリテーターに声をかけてください。",
        "The facilitator did not let this device in. Use the table's QR code or pairing code, or speak to the facilitator.",
    ),
    (
        "device.wait_expired",
        "時間がたったため、この依頼は取り消されました。もう一度参加ページから頼んでください。",
        "This request has expired. Ask again from the join page.",
    ),
    ("device.section", "テーブルの端末", "Table devices"),
    (
        "device.section_lead",
        "各テーブルを開いている端末です。知らない端末は「外す」で締め出せます（その端末は次の操作で参加ページに戻ります）。",
        "The devices that have each table open. Remove one you do not recognise: its next action takes it back to the join page.",
    ),
    ("device.count", "{0}台", "{0} devices"),
    ("device.none", "まだ参加していません", "Not joined yet"),
    ("device.joined_at", "参加 {0}", "joined {0}"),
    ("device.seen_at", "最終 {0}", "last seen {0}"),
    ("device.via_first", "最初の端末", "first device"),
    ("device.via_qr", "QRコード", "QR code"),
    ("device.via_pairing", "ペアリングコード", "pairing code"),
    ("device.via_approval", "承認", "approved"),
    (
        "device.via_facilitator",
        "ファシリテーターの端末",
        "facilitator's device",
    ),
    ("device.release", "外す", "Remove"),
    ("device.requests", "参加の依頼", "Asking to join"),
    ("device.asked_at", "{0} に依頼", "asked at {0}"),
    ("device.approve", "承認する", "Approve"),
    ("device.refuse", "断る", "Refuse"),
    ("device.open", "この端末で開く", "Open on this device"),
    (
        "roster.title",
        "このテーブルにいる職種",
        "Professions at this table",
    ),
    (
        "roster.lead",
        "このテーブルに座っている職種をすべて選んでください。選んだ職種の「職種別情報」が画面に表示されます。",
        "Tick every profession sitting at this table. The role cards of those professions will be shown.",
    ),
    ("roster.submit", "決定する", "Confirm"),
    // Table screen
    ("table.name", "テーブル{0}", "Table {0}"),
    ("table.roster", "職種", "Professions"),
    ("table.roster_change", "変更", "Change"),
    (
        "table.closed",
        "この研修会は終了しました。記入した内容は記録として残っています。",
        "This session has ended. What you wrote is kept in the record.",
    ),
    (
        "table.ended",
        "この研修会は終了しました。",
        "This session has ended.",
    ),
    (
        "table.ended_kept",
        "記入した内容は記録として残っています。このテーブルの記録はPDFで持ち帰れます。",
        "What you wrote is kept in the record. Take this table's record home as a PDF.",
    ),
    (
        "table.unsaved_warning",
        "先に、入力したそれぞれの問いの「保存」を押してください。保存していない入力は、ここで進むと失われます。",
        "Press each question's save button first: text not saved is lost when you go on.",
    ),
    (
        "table.unsaved_warning_many",
        "この画面の問いは、一つずつ「グループの結論を保存」で保存します。別の問いの保存を押すと、まだ保存していない入力は失われます。",
        "Each question here is saved with its own save button. Pressing another question's button loses text not yet saved.",
    ),
    ("table.refresh", "画面を更新", "Refresh"),
    (
        "table.refresh_help",
        "ファシリテーターが次のステップに進んだら、画面を更新してください。",
        "When the facilitator moves on, refresh this screen.",
    ),
    ("card.for", "{0}の情報", "{0}'s information"),
    (
        "card.absent",
        "このテーブルには{0}がいないため、{0}の視点の情報はありません。",
        "Nobody at this table is a {0}, so nobody here holds that view.",
    ),
    ("case.people", "本人と家族", "The person and family"),
    ("case.patient", "本人", "Patient"),
    ("case.age", "{0}歳", "age {0}"),
    ("case.illness", "病状", "Illness"),
    ("case.living", "暮らし", "Living situation"),
    ("case.care_level", "要介護度", "Care level"),
    (
        "case.said",
        "本人が話していたこと",
        "What the person has said",
    ),
    ("case.relation", "続柄", "Relation"),
    ("case.stance", "思い", "Stance"),
    ("case.lives_with", "同居", "Lives with"),
    ("case.lives_apart", "別居", "Lives apart"),
    ("case.surrogate", "本人の意思を推定する人", "Surrogate"),
    ("case.team", "関わる職種", "Care team"),
    ("walk.next", "次の場面へ：{0}", "Next scene: {0}"),
    (
        "walk.branch_help",
        "テーブルで話し合って、この事例がどう進むかを一つ選んでください。",
        "Discuss at your table and choose how the case goes on.",
    ),
    ("walk.choose", "この選択で進む", "Go on with this choice"),
    (
        "walk.end",
        "このステップの場面はここまでです。ファシリテーターの案内を待ってください。",
        "This is the last scene of this step. Wait for the facilitator.",
    ),
    ("walk.via", "選択：{0}", "Chosen: {0}"),
    // Prompts and answers
    ("prompt.mark", "問い", "Q"),
    ("prompt.limit", "{0}文字まで", "Up to {0} characters"),
    ("prompt.single", "一つ選んでください", "Choose one"),
    (
        "prompt.multiple",
        "当てはまるものをすべて選んでください",
        "Choose all that apply",
    ),
    (
        "answer.save",
        "グループの結論を保存",
        "Save the group's conclusion",
    ),
    (
        "answer.saved_at",
        "{0} に保存（第{1}版）",
        "Saved at {0} (version {1})",
    ),
    (
        "answer.saved_short",
        "保存済み {0}（第{1}版）",
        "Saved {0} (version {1})",
    ),
    (
        "answer.not_saved",
        "まだ保存されていません",
        "Not saved yet",
    ),
    ("answer.none", "未回答", "No answer yet"),
    (
        "conflict.title",
        "別の端末が先に保存しました",
        "Another device saved first",
    ),
    (
        "conflict.lead",
        "同じテーブルの別の端末が、この問いの新しい内容を保存していました。どちらも失われていません。二つを見比べて、まとめてから保存してください。",
        "Another device of this table saved a newer answer to this question. Nothing is lost: compare both, merge them, then save.",
    ),
    (
        "conflict.theirs",
        "保存されている内容（{0}・第{1}版）",
        "Saved answer ({0}, version {1})",
    ),
    (
        "conflict.mine",
        "この端末で入力した内容",
        "What you typed on this device",
    ),
    ("conflict.merge", "まとめた内容", "Merged answer"),
    ("conflict.save", "この内容で保存", "Save this"),
    (
        "conflict.keep_theirs",
        "保存されている内容のままにする",
        "Keep the saved answer",
    ),
    // Structured prompt kinds (issue 4): four-box, conference sheet, decision table,
    // values ranking, stakeholder map, capacity check, action plan, three-field report
    ("kinds.box.medical", "医学的適応", "Medical indications"),
    (
        "kinds.box.preferences",
        "本人の意向",
        "The person's preferences",
    ),
    ("kinds.box.quality", "QOL（生活の質）", "Quality of life"),
    ("kinds.box.context", "周囲の状況", "Contextual features"),
    (
        "kinds.box.help",
        "1行に1項目ずつ書いてください。空いた行は無視されます（各欄{0}項目まで、1項目{1}文字まで）。",
        "One item per line; blank lines are dropped (up to {0} items per box, {1} characters per item).",
    ),
    ("kinds.sheet.view", "検討の向き", "Direction of review"),
    (
        "kinds.sheet.view.forward",
        "前向き検討（これからどうするか）",
        "Looking forward (what to do next)",
    ),
    (
        "kinds.sheet.view.back",
        "振り返り（何が最善だったか）",
        "Looking back (what would have been best)",
    ),
    (
        "kinds.sheet.switch_help",
        "向きを切り替えると、欄の見出しが変わります（書いた内容はそのまま残ります）。",
        "Switching changes the headings of the fields; what you wrote stays.",
    ),
    (
        "kinds.sheet.forward.medical",
        "医学的・標準的な最善の判断と、これまでの医療・ケアの対応",
        "The standard best medical judgement, and the care given so far",
    ),
    (
        "kinds.sheet.forward.person",
        "本人の思い",
        "What the person wants and feels",
    ),
    (
        "kinds.sheet.forward.family",
        "家族の思い",
        "What the family wants and feels",
    ),
    (
        "kinds.sheet.forward.best",
        "本人の人生にとっての最善",
        "The best for the person's life",
    ),
    (
        "kinds.sheet.forward.family_care",
        "家族への配慮",
        "Care for the family",
    ),
    ("kinds.sheet.forward.next", "次の行動", "Next actions"),
    (
        "kinds.sheet.back.medical",
        "これまでの医学的な判断と、医療・ケアの対応",
        "The medical judgement made, and the care that was given",
    ),
    (
        "kinds.sheet.back.person",
        "本人はどう思っていたか",
        "What the person wanted and felt",
    ),
    (
        "kinds.sheet.back.family",
        "家族はどう思っていたか",
        "What the family wanted and felt",
    ),
    (
        "kinds.sheet.back.best",
        "本人の人生にとって何が最善だったか",
        "What would have been best for the person's life",
    ),
    (
        "kinds.sheet.back.family_care",
        "家族への配慮はどうだったか",
        "How the family was cared for",
    ),
    (
        "kinds.sheet.back.next",
        "次の事例に活かすこと",
        "What we take into the next case",
    ),
    ("kinds.grid.option", "選択肢", "Option"),
    ("kinds.grid.benefits", "利点（よいこと）", "Benefits"),
    ("kinds.grid.harms", "欠点・リスク", "Harms and risks"),
    (
        "kinds.grid.weight",
        "どのくらい大切か",
        "How much it matters",
    ),
    (
        "kinds.grid.weight_help",
        "大切さは1（少し）から5（とても）で選びます。",
        "Rate how much each matters from 1 (a little) to 5 (very much).",
    ),
    ("kinds.grid.unrated", "—", "—"),
    ("kinds.grid.person", "本人", "The person"),
    ("kinds.grid.family_default", "家族", "Family"),
    ("kinds.grid.view", "{0}の視点", "{0}'s view"),
    (
        "kinds.grid.equal_detail",
        "どの選択肢にも同じ項目を、同じくらい詳しく書きます。",
        "Fill in the same fields for every option, in equal detail.",
    ),
    (
        "kinds.grid.leaning",
        "今のところ傾いている選択肢",
        "Leaning towards",
    ),
    ("kinds.grid.undecided", "まだ決めていない", "Not decided"),
    (
        "kinds.grid.sure",
        "SURE（意思決定の葛藤の確かめ）",
        "SURE (checking for decisional conflict)",
    ),
    (
        "kinds.grid.sure.0",
        "確信がある（自分にとって最善の選択がわかる）",
        "Sure: feels sure about the best choice",
    ),
    (
        "kinds.grid.sure.1",
        "選択肢の利点とリスクを知っている",
        "Understand: knows the benefits and risks of each option",
    ),
    (
        "kinds.grid.sure.2",
        "自分にとって何が大事かはっきりしている",
        "Risk-benefit ratio: is clear about which benefits and risks matter most",
    ),
    (
        "kinds.grid.sure.3",
        "選ぶための支えと助言が十分ある",
        "Encouragement: has enough support and advice to choose",
    ),
    ("kinds.grid.yes", "はい", "Yes"),
    ("kinds.grid.no", "いいえ", "No"),
    ("kinds.grid.unanswered", "未回答", "Not answered"),
    ("kinds.grid.conflict", "葛藤あり", "Decisional conflict"),
    ("kinds.grid.sure_score", "SURE {0}/4", "SURE {0}/4"),
    ("kinds.rank.deck", "カード", "The cards"),
    ("kinds.rank.rank", "{0}位", "Rank {0}"),
    ("kinds.rank.none", "（選ばない）", "(none)"),
    ("kinds.rank.reason", "選んだ理由", "Why"),
    (
        "kinds.rank.help",
        "大切な順に{0}枚まで選び、理由を書いてください（理由は{1}文字まで）。",
        "Choose up to {0} cards, most important first, and say why (up to {1} characters).",
    ),
    ("kinds.map.title", "関係者", "People"),
    ("kinds.map.wants", "望んでいること", "Wants"),
    ("kinds.map.fears", "心配・恐れていること", "Fears"),
    ("kinds.map.dissent", "異論・意見の違い", "Disagreement"),
    (
        "kinds.map.help",
        "書いた人だけが関係者マップに載ります。意見の違いは隠さずに書きます。",
        "Only the people you write about appear on the map. Write disagreements down; do not hide them.",
    ),
    ("kinds.cap.understanding", "理解", "Understanding"),
    ("kinds.cap.appreciation", "認識", "Appreciation"),
    ("kinds.cap.reasoning", "論理的思考", "Reasoning"),
    ("kinds.cap.expressing", "表明", "Expressing a choice"),
    (
        "kinds.cap.understanding_help",
        "決めることについての説明を理解できる",
        "Understands what is explained about the decision",
    ),
    (
        "kinds.cap.appreciation_help",
        "それが自分のことだと認識できる",
        "Sees that it is about their own situation",
    ),
    (
        "kinds.cap.reasoning_help",
        "選んだときの結果を比べて考えられる",
        "Can weigh what each choice would lead to",
    ),
    (
        "kinds.cap.expressing_help",
        "自分の考えや選択を伝えられる",
        "Can communicate a choice",
    ),
    ("kinds.cap.rating", "評価", "Rating"),
    ("kinds.cap.kept", "保たれている", "Kept"),
    ("kinds.cap.partial", "部分的", "Partly kept"),
    ("kinds.cap.impaired", "難しい", "Impaired"),
    ("kinds.cap.unknown", "判断できない", "Cannot tell"),
    ("kinds.cap.unrated", "未評価", "Not judged yet"),
    (
        "kinds.cap.evidence",
        "根拠（場面から）",
        "Evidence from the scene",
    ),
    ("kinds.plan.title", "行動計画", "Action plan"),
    ("kinds.plan.who", "誰が", "Who"),
    ("kinds.plan.what", "何を", "What"),
    ("kinds.plan.when", "いつまでに", "By when"),
    ("kinds.plan.row", "{0}行目", "Row {0}"),
    ("kinds.plan.choose", "（選ぶ）", "(choose)"),
    (
        "kinds.plan.roster",
        "このテーブルの職種",
        "Professions at this table",
    ),
    ("kinds.plan.people", "本人・家族", "The person and family"),
    ("kinds.plan.others", "ほかの職種", "Other professions"),
    (
        "kinds.plan.other",
        "その他（名前を書く）",
        "Someone else (write the name)",
    ),
    ("kinds.plan.who_other", "その他の人", "Someone else"),
    (
        "kinds.plan.help",
        "「誰が」と「何を」は必ず書きます。行が足りなくなったら、保存すると空いた行が増えます（{0}行まで）。",
        "Each row needs who and what. Save to get more empty rows (up to {0}).",
    ),
    (
        "kinds.three.worked",
        "特に効果があった取り組み",
        "What worked especially well",
    ),
    ("kinds.three.hard", "苦労した点", "What was hard"),
    ("kinds.three.measures", "具体的方策", "Concrete measures"),
    ("kinds.person.patient", "本人", "The person"),
    (
        "kinds.field_limit",
        "各欄{0}文字まで",
        "Up to {0} characters per field",
    ),
    (
        "kinds.compare.title",
        "全テーブルの比較",
        "All tables compared",
    ),
    (
        "kinds.compare.none",
        "まだどのテーブルも答えていません。",
        "No table has answered yet.",
    ),
    (
        "kinds.compare.four_box",
        "4分割表：欄ごとに全テーブルを並べる",
        "Four boxes: every table, box by box",
    ),
    (
        "kinds.compare.grid",
        "比較表：選択肢ごとに全テーブルの利点と欠点",
        "Decision tables: every table's benefits and harms, option by option",
    ),
    (
        "kinds.compare.leaning",
        "傾いている視点",
        "Views leaning here",
    ),
    (
        "kinds.compare.conflicts",
        "葛藤ありの視点",
        "Views with decisional conflict",
    ),
    (
        "kinds.compare.ranking",
        "価値観カードの集計（{0}テーブル）",
        "Values cards tallied ({0} tables)",
    ),
    (
        "kinds.compare.ranking_help",
        "点数は順位の重みの合計です（1位={0}点、{0}位=1点）。",
        "Score is the sum of rank weights (first = {0} points, rank {0} = 1 point).",
    ),
    ("kinds.compare.score", "点数", "Score"),
    ("kinds.compare.picked", "選んだテーブル", "Tables"),
    ("kinds.compare.first", "1位", "Ranked first"),
    (
        "kinds.compare.plan",
        "行動計画：全テーブルを「誰が」ごとにまとめる",
        "Action plans: every table's rows, grouped by who",
    ),
    (
        "err.field_too_long",
        "「{0}」に{1}文字書かれています。{2}文字までにしてから、もう一度保存してください。",
        "“{0}” has {1} characters; the limit is {2}. Shorten it and save again.",
    ),
    (
        "err.too_many_items",
        "「{0}」が{1}個あります。{2}個までにしてから、もう一度保存してください。",
        "“{0}” has {1} entries; at most {2} are allowed. Remove some and save again.",
    ),
    (
        "err.bad_choice",
        "この問いの選択肢にないものが送られました。画面を更新して、選び直してください。",
        "An option this question does not have was sent. Refresh the page and choose again.",
    ),
    (
        "err.unknown_card",
        "カードの一覧にないカードが送られました。画面を更新して、選び直してください。",
        "A card that is not in the deck was sent. Refresh the page and choose again.",
    ),
    (
        "err.card_twice",
        "同じカードが2回選ばれています。順位ごとに別のカードを選んでください。",
        "The same card was chosen twice. Choose a different card for each rank.",
    ),
    (
        "err.too_many_picks",
        "選べるカードは{0}枚までです。",
        "Up to {0} cards can be ranked.",
    ),
    (
        "err.reason_without_card",
        "{0}位に理由が書かれていますが、カードが選ばれていません。カードを選ぶか、理由を消してください。",
        "Rank {0} has a reason but no card. Choose a card or clear the reason.",
    ),
    (
        "err.unknown_person",
        "この問いにいない人が送られました。画面を更新して、選び直してください。",
        "Someone who is not part of this question was sent. Refresh the page and choose again.",
    ),
    (
        "err.person_twice",
        "同じ人が2回入っています。1人につき1つにまとめてください。",
        "The same person appears twice. Put everything about one person together.",
    ),
    (
        "err.incomplete_row",
        "行動計画の{0}行目には「誰が」と「何を」の両方を入れてください。",
        "Row {0} of the action plan needs both who and what.",
    ),
    (
        "err.who_twice",
        "行動計画の{0}行目は、「誰が」を一覧から選ぶか名前を書くか、どちらか一方にしてください。",
        "In row {0} of the action plan, either choose who from the list or write a name, not both.",
    ),
    // PDF workbooks (issue 5): the four documents, their forms, download links and errors
    (
        "pdf.kind.programme",
        "教育プログラム ワークブック",
        "Teaching programme workbook",
    ),
    (
        "pdf.kind.guide",
        "ファシリテーターガイド",
        "Facilitator guide",
    ),
    ("pdf.kind.session", "研修会の記録", "Session record"),
    ("pdf.kind.table", "テーブルの記録", "Table record"),
    ("pdf.contents", "目次", "Contents"),
    ("pdf.step", "ステップ{0}", "Step {0}"),
    ("pdf.version", "第{0}版", "version {0}"),
    (
        "pdf.guide_warning",
        "このガイドには、参加者には見せないファシリテーター用のメモと、すべての職種別情報が載っています。参加者には「ワークブック」を配ってください。",
        "This guide holds the facilitator notes and every role card, which participants must not see. Hand participants the workbook instead.",
    ),
    ("pdf.cover.name", "お名前", "Name"),
    ("pdf.cover.profession", "職種", "Profession"),
    ("pdf.cover.table", "テーブル番号", "Table number"),
    ("pdf.overview", "プログラムの概要", "About this programme"),
    ("pdf.run_sheet", "当日の進行表", "Run sheet for the day"),
    (
        "pdf.run_sheet_help",
        "当日、各ステップを始めた時刻とメモを書き込みます。",
        "On the day, write down when each step started, with notes.",
    ),
    ("pdf.memo", "メモ", "Notes"),
    (
        "pdf.survey_help",
        "一人ひとりがご自分の考えで答えてください。",
        "Answer each question for yourself.",
    ),
    (
        "pdf.case_again",
        "（登場人物は前のステップを見てください）",
        "(see the earlier step for the people in the case)",
    ),
    ("pdf.role_cards", "職種別情報", "Role cards"),
    (
        "pdf.cards_here",
        "この場面の職種別情報カード：{0}（巻末。その職種の人だけが読み、テーブルに伝えます）",
        "Role cards for this scene: {0} (at the back; only that profession reads one, then tells the table)",
    ),
    ("pdf.scene_notes", "この場面のメモ", "Notes on this scene"),
    ("pdf.branch", "分岐", "Branch"),
    (
        "pdf.case_end",
        "事例はこの場面で終わります。",
        "The case ends with this scene.",
    ),
    (
        "pdf.learning_points",
        "学習のポイント・事例についてのメモ",
        "Learning points and notes on the case",
    ),
    (
        "pdf.cards_title",
        "職種別情報カード（切り取り用）",
        "Role cards to cut out",
    ),
    (
        "pdf.cards_help",
        "点線で切り取り、その職種の参加者に渡してください。その職種がいないテーブルには渡さず、ファシリテーターが要点を口頭で伝えます。",
        "Cut along the dotted lines and hand each card to a participant of that profession. Where a table has nobody of that profession, the facilitator tells them the gist.",
    ),
    (
        "pdf.no_steps",
        "この教育プログラムにはステップがありません。",
        "This curriculum has no steps.",
    ),
    (
        "pdf.form.one_per_line",
        "1行に1項目ずつ書きます。",
        "Write one item per line.",
    ),
    ("pdf.form.rank", "順位", "Rank"),
    (
        "pdf.form.rank_help",
        "大切だと思うカードの□に印をつけ、大切な順に{0}枚を下の表に書きます。カードは切り取って並べ替えてもかまいません。",
        "Mark the cards that matter with a tick, then write the {0} that matter most in the table below, most important first. You may cut the cards out and sort them.",
    ),
    ("pdf.form.ability", "能力", "Ability"),
    (
        "pdf.form.plan_help",
        "一行に一つ、誰が・何を・いつまでにするかを書きます。",
        "One row each: who does what, by when.",
    ),
    (
        "pdf.form.scale_help",
        "当てはまる数字を一つ○で囲みます。",
        "Circle one number.",
    ),
    (
        "pdf.form.scale_write",
        "{0}から{1}までの数字を一つ書きます。",
        "Write one number from {0} to {1}.",
    ),
    (
        "pdf.form.weight_note",
        "［ ］内は大切さ（1〜5）",
        "[n] is how much it matters (1–5)",
    ),
    (
        "pdf.record.cut",
        "（長すぎるため、この先の{0}文字は印刷していません。全文は画面の記録で見られます）",
        "(Too long to print: the remaining {0} characters are left out here; the record page shows them all.)",
    ),
    (
        "pdf.record.other_shape",
        "この問いの今の形に合わない答えのため、保存された内容をそのまま示します。",
        "This answer does not fit the prompt's current shape, so it is shown as stored.",
    ),
    ("pdf.record.option", "選択肢", "Option"),
    (
        "pdf.record.tally",
        "集計（{0}テーブルが回答）",
        "Tally ({0} tables answered)",
    ),
    ("pdf.record.mean", "平均 {0}", "Mean {0}"),
    (
        "pdf.record.as_of",
        "{0}（{1} 時点の記録）",
        "{0} (record as of {1})",
    ),
    ("pdf.record.made", "作成日時", "Made"),
    ("pdf.record.count", "テーブル数", "Tables"),
    (
        "pdf.record.spotlit",
        "全体発表で映した",
        "Shown to the room",
    ),
    (
        "pdf.record.spotlight",
        "全体発表で映したテーブル",
        "Tables shown to the room",
    ),
    ("pdf.record.survey", "アンケートの集計", "Survey summary"),
    (
        "pdf.record.no_prompts",
        "このステップには問いがありません。",
        "This step has no prompts.",
    ),
    ("pdf.record.roster", "参加者の構成", "Who took part"),
    (
        "pdf.record.no_roster",
        "まだどのテーブルも職種を登録していません。",
        "No table has entered its professions yet.",
    ),
    (
        "pdf.record.empty",
        "この研修会には、まだどのテーブルの結論もありません。",
        "No table has saved a conclusion in this session yet.",
    ),
    (
        "pdf.record.table_empty",
        "このテーブルは、まだ結論を保存していません。",
        "This table has not saved a conclusion yet.",
    ),
    ("pdf.download", "PDF", "PDF"),
    (
        "pdf.download.programme",
        "ワークブック（PDF）",
        "Workbook (PDF)",
    ),
    (
        "pdf.download.guide",
        "ファシリテーターガイド（PDF）",
        "Facilitator guide (PDF)",
    ),
    (
        "pdf.download.record",
        "記録をPDFで保存",
        "Save the record as PDF",
    ),
    (
        "pdf.download.table",
        "このテーブルの記録（PDF）",
        "This table's record (PDF)",
    ),
    (
        "pdf.download.help",
        "長い文書は作成に数秒かかります。",
        "Long documents take a few seconds to prepare.",
    ),
    ("status.503", "ただいま混み合っています", "Busy, try again"),
    (
        "err.pdf_busy",
        "ほかのPDFを作成中のため、いまは作れません。少し待ってから、もう一度ダウンロードしてください。",
        "Other PDFs are being prepared right now. Wait a moment, then download again.",
    ),
    (
        "err.pdf_too_long",
        "この文書は{0}ページになり、一度に作れる{1}ページを超えています。",
        "This document would have {0} pages, more than the {1} that can be made at once.",
    ),
    // Record
    ("record.title", "研修会の記録", "Session record"),
    ("record.tables", "テーブルと職種", "Tables and professions"),
    ("record.path", "進んだ場面", "Scenes walked"),
    (
        "record.no_path",
        "このステップの場面には進んでいません",
        "Did not walk this step",
    ),
    // Errors
    (
        "status.400",
        "入力を確認してください",
        "Please check your input",
    ),
    ("status.404", "見つかりません", "Not found"),
    ("status.409", "保存できませんでした", "Could not save"),
    (
        "status.410",
        "この研修会は終了しています",
        "This session has ended",
    ),
    ("status.413", "長すぎます", "Too long"),
    (
        "status.422",
        "入力を確認してください",
        "Please check your input",
    ),
    (
        "status.500",
        "サーバーで問題が起きました",
        "Something went wrong on the server",
    ),
    (
        "err.kept_title",
        "入力した内容（保存されていません）",
        "What you typed (not saved)",
    ),
    (
        "err.kept_help",
        "必要ならコピーしてから、前の画面に戻ってください。",
        "Copy it if you need it, then go back.",
    ),
    (
        "err.page",
        "このページはありません。アドレスを確かめてください。",
        "There is no such page. Check the address.",
    ),
    (
        "err.internal",
        "少し待ってからもう一度試してください。続く場合は、会場の担当者に知らせてください。これまでに保存された内容は失われていません。",
        "Please try again in a moment. If it keeps happening, tell the organizer. Everything saved so far is kept.",
    ),
    (
        "err.form",
        "送られた内容を読み取れませんでした。画面を更新して、もう一度入力してください。",
        "The form could not be read. Refresh the page and enter it again.",
    ),
    (
        "err.form_not_utf8",
        "送られた文字の一部を文字として読み取れませんでした（UTF-8ではありません）。何も保存していません。別のアプリから貼り付けた文字なら、打ち直してからもう一度送ってください。",
        "Some of the text sent cannot be read as characters (it is not UTF-8); nothing was saved. If it was pasted from another program, type it again and send it once more.",
    ),
    (
        "err.too_large",
        "送られた内容が大きすぎます。文章を短くして、もう一度保存してください。",
        "What was sent is too large. Shorten the text and save again.",
    ),
    (
        "err.too_long",
        "答えが{0}文字あります。この問いは{1}文字までです。短くしてから保存してください。",
        "The answer has {0} characters; this question takes up to {1}. Shorten it and save again.",
    ),
    (
        "err.out_of_range",
        "{0}から{1}までの中から選んでください。",
        "Choose a value from {0} to {1}.",
    ),
    (
        "err.curriculum",
        "その教育プログラムはありません。トップページから選び直してください。",
        "There is no such curriculum. Choose one from the home page.",
    ),
    (
        "err.session",
        "その研修会はありません。アドレスを確かめてください。",
        "There is no such session. Check the address.",
    ),
    (
        "err.facilitator_link",
        "このファシリテーター用リンクは正しくありません。研修会の準備をした人に確かめてください。",
        "This facilitator link is not valid. Ask the person who prepared the session.",
    ),
    (
        "err.join_code_empty",
        "参加コードを入れてください。",
        "Enter the join code.",
    ),
    (
        "err.join_code",
        "その参加コードの研修会はありません。ファシリテーターが示したコードを確かめて、もう一度入れてください。",
        "No session has that join code. Check the code the facilitator showed and enter it again.",
    ),
    (
        "err.session_closed",
        "この研修会はすでに終了しています。記入はできません。",
        "This session has already ended. No more answers can be written.",
    ),
    (
        "err.session_closed_save",
        "この研修会はすでに終了しているため、保存できませんでした。",
        "This session has ended, so the answer was not saved.",
    ),
    (
        "err.closed_facilitator",
        "この研修会は終了しているため、ステップを動かせません。",
        "This session has ended, so the steps cannot be changed.",
    ),
    (
        "err.table_range",
        "テーブル番号は1から{0}までです。テーブルに置かれた番号を確かめてください。",
        "Table numbers go from 1 to {0}. Check the number on your table.",
    ),
    (
        "err.table",
        "そのテーブルはありません。",
        "There is no such table.",
    ),
    (
        "err.device_not_joined",
        "この端末はテーブル{0}に参加していません。参加ページで、テーブルのQRコードを読み取るか、テーブルの画面のペアリングコードを入れるか、ファシリテーターに頼んでください。",
        "This device has not joined table {0}. On the join page, scan the table's QR code, type the pairing code from the table's screen, or ask the facilitator.",
    ),
    (
        "err.device_released",
        "この端末は、ファシリテーターによってテーブル{0}から外されました。入力したものは保存されていません。参加ページからもう一度加わってください。",
        "The facilitator removed this device from table {0}; what you typed was not saved. Join again from the join page.",
    ),
    (
        "err.too_many_pairing",
        "ペアリングコードの間違いが多すぎます。しばらく待つか、テーブルのQRコードを読み取るか、ファシリテーターに頼んでください。",
        "Too many wrong pairing codes. Wait a while, scan the table's QR code, or ask the facilitator.",
    ),
    (
        "err.too_many_asks",
        "この端末から短い時間に何度も頼んでいます。しばらく待ってから、またはファシリテーターに直接声をかけてください。",
        "Too many requests from here in a short time. Wait a while, or speak to the facilitator.",
    ),
    (
        "err.too_many_waiting",
        "このテーブルには承認待ちの依頼がすでにいくつもあります。ファシリテーターに直接声をかけてください。",
        "This table already has several requests waiting. Speak to the facilitator directly.",
    ),
    (
        "err.request",
        "その参加の依頼は見つかりません。参加ページからもう一度頼んでください。",
        "That request to join was not found. Ask again from the join page.",
    ),
    (
        "err.device",
        "その端末は見つからないか、すでに外されています。",
        "That device was not found, or it was already removed.",
    ),
    (
        "err.table_link",
        "このテーブル用リンクは正しくありません。「テーブルで参加する」から参加コードで入り直してください。",
        "This table link is not valid. Join again with the join code.",
    ),
    (
        "err.profession",
        "知らない職種が送られました。画面を更新して選び直してください。",
        "An unknown profession was sent. Refresh and choose again.",
    ),
    (
        "err.roster_empty",
        "このテーブルにいる職種を一つ以上選んでください。",
        "Choose at least one profession at this table.",
    ),
    (
        "err.not_current_step",
        "この問いは今のステップのものではないため、保存できませんでした。ファシリテーターが次に進んだ可能性があります。画面を更新してください。",
        "This question is not part of the current step, so the answer was not saved. The facilitator may have moved on: refresh the screen.",
    ),
    (
        "err.no_such_step",
        "そのステップはありません。",
        "There is no such step.",
    ),
    (
        "err.branch_option",
        "選択肢を一つ選んでから進んでください。",
        "Choose one of the options before going on.",
    ),
    (
        "err.walk_end",
        "このステップの場面はここまでです。",
        "This step has no further scene.",
    ),
    (
        "err.close_confirm",
        "終了してよいことを確認するチェックを入れてください。",
        "Tick the box to confirm closing the session.",
    ),
    // Live facilitation: timers, pace, projector, run sheet, QR codes
    ("timer.ready", "開始前", "Not started"),
    ("timer.running", "進行中", "Running"),
    ("timer.paused", "一時停止", "Paused"),
    ("timer.ended", "時間です", "Time is up"),
    ("timer.locked", "締め切り", "Closed for answers"),
    ("timer.do_start", "タイマー開始", "Start timer"),
    ("timer.do_pause", "一時停止", "Pause"),
    ("timer.do_end", "終了して締め切る", "End and close answers"),
    ("timer.do_reopen", "記入を再開する", "Reopen answers"),
    ("pace.label", "事例の進め方", "Case pace"),
    (
        "pace.hold",
        "全テーブルそろえて進める",
        "All tables together",
    ),
    (
        "pace.free",
        "各テーブルのペースで進める",
        "Each table at its own pace",
    ),
    ("pace.to_hold", "そろえる（テーブルは待つ）", "Hold tables"),
    (
        "pace.to_free",
        "各テーブルのペースにする",
        "Let tables go at their own pace",
    ),
    (
        "walk.hold",
        "ファシリテーターの合図を待ってください。合図があると次の場面に進めます。",
        "Wait for the facilitator's signal to go on to the next scene.",
    ),
    (
        "table.locked",
        "時間になりました。このステップの記入は締め切られました。締め切りまでに保存した内容は記録に残っています。ファシリテーターが記入を再開すると、また書けます。",
        "Time is up: answers for this step are closed. What was saved before is in the record. When the facilitator reopens answers you can write again.",
    ),
    (
        "fac.qr_sheet",
        "テーブル別QRコードを印刷",
        "Print table QR codes",
    ),
    (
        "fac.projector",
        "プロジェクター画面を開く",
        "Open the projector view",
    ),
    ("fac.behind", "遅れ気味", "Behind schedule"),
    (
        "fac.spotlight",
        "選んだテーブルをプロジェクターに映す",
        "Show the ticked tables on the projector",
    ),
    (
        "fac.spotlight_help",
        "2つまで選べます。何も選ばないと集計を映します。",
        "Tick up to two. With none ticked the projector shows the tallies.",
    ),
    (
        "fac.spotlight_table",
        "テーブル{0}をプロジェクターに映す",
        "Show table {0} on the projector",
    ),
    (
        "run.title",
        "進行表（予定と実際）",
        "Run sheet (planned and actual)",
    ),
    ("run.planned_start", "予定の開始", "Planned start"),
    ("run.planned", "予定", "Planned"),
    ("run.actual_start", "実際の開始", "Actual start"),
    ("run.actual", "実際", "Actual"),
    ("run.diff", "差", "Difference"),
    ("run.total", "合計", "Total"),
    ("qr.title", "テーブル別QRコード", "QR codes per table"),
    (
        "qr.lead",
        "印刷して各テーブルに置いてください。読み取ると、そのテーブルの画面が直接開きます。",
        "Print and put one on each table. Scanning opens that table's screen directly.",
    ),
    ("proj.title", "プロジェクター", "Projector"),
    ("proj.join_qr", "参加用QRコード", "QR code to join"),
    ("proj.answered", "{0}テーブルが回答", "{0} tables answered"),
    (
        "proj.ended",
        "研修会は終了しました",
        "This session has ended",
    ),
    (
        "proj.ended_thanks",
        "ご参加ありがとうございました。記録はファシリテーターがまとめます。",
        "Thank you for taking part. The facilitator keeps the record.",
    ),
    ("proj.spot_empty", "まだ回答がありません", "No answer yet"),
    ("proj.side", "タイマーと参加方法", "Timer and how to join"),
    ("status.423", "時間になりました", "Time is up"),
    (
        "status.408",
        "送信が間に合いませんでした",
        "Request took too long",
    ),
    ("status.429", "少し待ってください", "Please wait a moment"),
    (
        "err.locked",
        "時間になったため、このステップの記入は締め切られました。入力した内容は保存されていません。ファシリテーターが再開したら、もう一度保存してください。",
        "Time is up: this step is closed for answers, so this was not saved. Save again when the facilitator reopens it.",
    ),
    (
        "err.too_many_saves",
        "短い時間に保存が続いたため、少し待っています。数秒後にもう一度保存してください。",
        "Too many saves in a short time. Save again in a few seconds.",
    ),
    (
        "err.hold",
        "いまはファシリテーターの合図で全テーブルそろって進んでいます。合図を待ってください。",
        "Tables are moving together on the facilitator's signal. Please wait for it.",
    ),
    (
        "err.timer_action",
        "タイマーの操作がわかりませんでした。画面を更新してください。",
        "Unknown timer action. Refresh the page.",
    ),
    (
        "err.no_timer",
        "このステップには時間の設定がないため、タイマーは使えません。",
        "This step has no time box, so it has no timer.",
    ),
    (
        "err.spotlight_two",
        "プロジェクターに映せるテーブルは2つまでです。",
        "At most two tables can be shown on the projector.",
    ),
    (
        "err.projector_link",
        "このプロジェクター用リンクは正しくありません。ファシリテーター画面から開き直してください。",
        "This projector link is not valid. Open it again from the facilitator view.",
    ),
    // Access: organizer sign-in, audit log
    ("signin.title", "主催者のサインイン", "Organizer sign-in"),
    (
        "signin.lead_code",
        "サーバーを起動したときに表示されたサインイン用コードを入れてください。",
        "Enter the sign-in code the server printed when it started.",
    ),
    (
        "signin.lead_password",
        "主催者のパスワードを入れてください。",
        "Enter the organizer password.",
    ),
    ("signin.code", "サインイン用コード", "Sign-in code"),
    ("signin.password", "パスワード", "Password"),
    ("signin.submit", "サインイン", "Sign in"),
    (
        "signin.wrong",
        "コードまたはパスワードが違います。もう一度入れてください。",
        "That code or password is not right. Please try again.",
    ),
    ("signin.out", "サインアウト", "Sign out"),
    (
        "signin.tables_hint",
        "テーブルの方はサインインは不要です。",
        "Tables do not need to sign in.",
    ),
    (
        "home.organizer_hint",
        "研修会の準備や記録の閲覧は、主催者がサインインして行います。",
        "Organizers sign in to prepare sessions and read records.",
    ),
    ("audit.title", "操作の記録", "Audit log"),
    (
        "audit.lead",
        "誰が（役割・テーブル）、いつ、何を変えたか",
        "Who (role, table) changed what, and when",
    ),
    ("audit.when", "日時", "When"),
    ("audit.who", "誰が", "Who"),
    ("audit.what", "何を", "What"),
    ("audit.details", "詳細", "Details"),
    ("role.organizer", "主催者", "Organizer"),
    ("role.facilitator", "ファシリテーター", "Facilitator"),
    ("role.table", "テーブル", "Table"),
    ("role.system", "システム", "System"),
    ("status.403", "この操作はできません", "Not allowed"),
    (
        "err.organizer_only",
        "このページは主催者のみが使えます。主催者としてサインインしてください。",
        "Only the organizer can use this page. Please sign in as the organizer.",
    ),
    (
        "err.too_many_attempts",
        "間違いが続いたため、しばらく受け付けません。10分ほど待ってから、もう一度試してください。",
        "Too many wrong attempts. Please wait about ten minutes, then try again.",
    ),
    (
        "err.body_timeout",
        "送信に時間がかかりすぎたため、受け付けませんでした。接続を確かめて、もう一度送ってください。",
        "Sending took too long and was not accepted. Check the connection and send again.",
    ),
    (
        "err.signin_busy",
        "ほかのサインインを確認しています。数秒待ってから、もう一度試してください。",
        "Other sign-ins are being checked. Please wait a few seconds, then try again.",
    ),
    (
        "err.cross_site",
        "ほかのサイトから送られた操作は受け付けません。このサーバーの画面から操作してください。",
        "Requests sent from another site are not accepted. Use this server's own pages.",
    ),
    (
        "err.too_many_streams",
        "この端末からの接続が多すぎます。開いている画面をいくつか閉じてください。",
        "Too many open screens from this device. Close some of them.",
    ),
    // Roster, seating and rehearsals (issue 7)
    ("rehearsal.label", "リハーサル", "Rehearsal"),
    (
        "rehearsal.create",
        "リハーサル（ファシリテーター会議）として開く",
        "Run as a rehearsal (facilitator meeting)",
    ),
    (
        "rehearsal.create_help",
        "本番と同じように進められます。どの画面にも「リハーサル」と表示され、報告には含めません。",
        "It runs like the real session, is labeled as a rehearsal everywhere and is left out of reports.",
    ),
    ("roster.link", "名簿・席割り", "Roster & seating"),
    ("roster.page_title", "参加者名簿", "Roster"),
    (
        "roster.count",
        "{0}人（席は{1}：{2}テーブル × {3}席）",
        "{0} people ({1} seats: {2} tables × {3})",
    ),
    (
        "roster.problems",
        "次の点を直して、もう一度読み込んでください。何も取り込んでいません。",
        "Please fix the following and import again. Nothing was imported.",
    ),
    (
        "roster.import",
        "CSVファイルから読み込む",
        "Import a CSV file",
    ),
    (
        "roster.import_help",
        "1行に1人。見出しの行に「職種」「所属」の列が必要です（氏名・地区・病院・在宅は任意）。ひな形をダウンロードしてExcelで書き込めます。",
        "One person per line. The header line needs the columns profession and organization (name, area and side are optional). Download the template and fill it in with Excel.",
    ),
    (
        "roster.template",
        "ひな形（CSV）をダウンロード",
        "Download the template (CSV)",
    ),
    ("roster.file", "CSVファイル", "CSV file"),
    (
        "roster.replace",
        "今の名簿を消して置き換える",
        "Replace the current roster",
    ),
    ("roster.import_button", "読み込む", "Import"),
    (
        "roster.columns",
        "列と書き方",
        "Columns and how to write them",
    ),
    (
        "roster.col_name",
        "氏名（name）：任意",
        "氏名 (name): optional",
    ),
    (
        "roster.col_profession",
        "職種（profession）：下の一覧の名前、またはケアマネ・MSW・PTなどの略称",
        "職種 (profession): a name from the list below, its id, or a short name such as ケアマネ, MSW, PT",
    ),
    (
        "roster.col_organization",
        "所属（organization）：同じ所属の人はなるべく別のテーブルにします",
        "所属 (organization): people of one organization go to different tables where possible",
    ),
    (
        "roster.col_area",
        "地区（area）：北部・中部・南部など、任意",
        "地区 (area): north / central / south…, optional",
    ),
    (
        "roster.col_side",
        "病院・在宅（side）：病院・在宅・なし（空欄はなし）",
        "病院・在宅 (side): hospital, home or none (empty means none)",
    ),
    (
        "roster.encoding_help",
        "文字コードはUTF-8でもShift_JIS（Excelの標準の「CSV（コンマ区切り）」）でも読めます。",
        "Files in UTF-8 or Shift_JIS (Excel's plain \"CSV (Comma delimited)\") are both read.",
    ),
    (
        "roster.profession_list",
        "使える職種名：",
        "Profession names accepted:",
    ),
    ("roster.add", "1人ずつ追加する", "Add one person"),
    (
        "roster.add_late",
        "席割りの後に追加した人（当日参加）は、人数が少なく顔ぶれの合うテーブルにすぐ席が決まります。",
        "Someone added after seating (arriving on the day) is seated at once at a small table that suits them.",
    ),
    ("roster.name", "氏名", "Name"),
    ("roster.profession", "職種", "Profession"),
    ("roster.organization", "所属", "Organization"),
    ("roster.area", "地区", "Area"),
    ("roster.side", "病院・在宅", "Side"),
    ("roster.side_none", "—", "—"),
    ("roster.side_hospital", "病院", "Hospital"),
    ("roster.side_home", "在宅", "Home"),
    ("roster.add_button", "追加する", "Add"),
    ("roster.seats", "席の数", "Seats"),
    (
        "roster.seats_per_table",
        "1テーブルの席数",
        "Seats per table",
    ),
    ("roster.save", "保存", "Save"),
    ("roster.people", "参加者", "Participants"),
    ("roster.table", "テーブル", "Table"),
    ("roster.late", "当日", "On the day"),
    ("roster.remove", "削除", "Remove"),
    (
        "roster.empty",
        "まだ参加者はいません。",
        "No participants yet.",
    ),
    (
        "roster.imported",
        "{0}人を読み込みました（{1}）。",
        "Imported {0} people ({1}).",
    ),
    ("roster.added", "No.{0}を追加しました。", "Added No. {0}."),
    (
        "roster.added_seated",
        "No.{0}を追加し、テーブル{1}に席を決めました。",
        "Added No. {0} and seated them at table {1}.",
    ),
    ("roster.at_line", "{0}行目：{1}", "Line {0}: {1}"),
    (
        "roster.err_encoding",
        "ファイルの文字コードを読み取れません（UTF-8でもShift_JISでもありません）。Excelで開き、「名前を付けて保存」で「CSV UTF-8（コンマ区切り）」を選んで保存し直してから読み込んでください。",
        "The file's encoding cannot be read (it is neither UTF-8 nor Shift_JIS). Open it in Excel, choose Save As → \"CSV UTF-8 (Comma delimited)\", and import the saved file.",
    ),
    (
        "roster.err_csv",
        "CSVとして読めません（引用符\"の閉じ忘れなど）。",
        "This is not valid CSV (an unclosed quote \" perhaps).",
    ),
    (
        "roster.err_empty",
        "ファイルに参加者の行がありません。",
        "The file has no participant lines.",
    ),
    (
        "roster.err_column_twice",
        "「{0}」の列が二つあります。一つにしてください。",
        "The column \"{0}\" appears twice. Keep one.",
    ),
    (
        "roster.err_missing_column",
        "見出しに「{0}」の列がありません。ひな形と同じ見出しの行を1行目に入れてください。",
        "The header line has no \"{0}\" column. Put the template's header line on line 1.",
    ),
    (
        "roster.err_too_long",
        "{0}が長すぎます（{1}文字まで）。",
        "{0} is too long (at most {1} characters).",
    ),
    (
        "roster.err_no_profession",
        "職種が空です。",
        "The profession is empty.",
    ),
    (
        "roster.err_profession",
        "職種「{0}」が分かりません。「列と書き方」にある職種名で書いてください。",
        "Unknown profession \"{0}\". Use a name listed under \"Columns and how to write them\".",
    ),
    (
        "roster.err_side",
        "病院・在宅の「{0}」が分かりません。「病院」「在宅」「なし」のどれかにしてください。",
        "Unknown side \"{0}\". Write hospital, home or none.",
    ),
    (
        "roster.err_duplicate",
        "{0}さんは{1}行目と同じ人です（氏名と所属が同じ）。どちらかの行を消してください。",
        "{0} is the same person as on line {1} (same name and organization). Delete one of the lines.",
    ),
    (
        "roster.err_already",
        "{0}さんはすでに名簿にいます（No.{1}）。",
        "{0} is already on the roster (No. {1}).",
    ),
    (
        "roster.err_seats",
        "参加者が{0}人になり、席の数{1}を超えます。テーブルか1テーブルの席数を増やしてください。",
        "That makes {0} people, more than the {1} seats. Add tables or raise the seats per table.",
    ),
    (
        "roster.err_no_file",
        "CSVファイルを選んでください。",
        "Choose a CSV file.",
    ),
    (
        "err.participant",
        "その参加者は名簿にいません。ページを読み込み直してください。",
        "That participant is not on the roster. Reload the page.",
    ),
    (
        "err.seats",
        "1テーブルの席数は1から{0}までです。",
        "Seats per table go from 1 to {0}.",
    ),
    (
        "err.seats_too_few",
        "参加者が{0}人いるので、席が{1}では足りません。",
        "There are {0} participants: {1} seats are not enough.",
    ),
    (
        "err.move_table",
        "テーブル番号は1から{0}までです。",
        "Table numbers go from 1 to {0}.",
    ),
    ("seating.title", "席割り", "Seating plan"),
    (
        "seating.lead",
        "職種・所属・地区が各テーブルに散らばり、病院側と在宅側がそろうように席を決めます。同じ名簿なら何度でも同じ結果になります。",
        "Seats people so every table mixes professions, organizations and areas and has both the hospital and the home side. The same roster always gives the same plan.",
    ),
    (
        "seating.keep",
        "手で移動した人の席はそのままにする",
        "Keep the seats of people moved by hand",
    ),
    ("seating.assign", "席を割り当てる", "Assign seats"),
    (
        "seating.print",
        "席割り表を印刷する",
        "Print the seating list",
    ),
    ("seating.spread", "散らばり具合", "How well it spreads"),
    (
        "seating.sizes",
        "1テーブルの人数：{0}〜{1}人",
        "People per table: {0}–{1}",
    ),
    (
        "seating.even",
        "どの職種も、テーブルごとの人数の差は1人以内です。",
        "Every profession differs by at most one person between tables.",
    ),
    (
        "seating.uneven",
        "テーブルごとの人数の差が2人以上の職種",
        "Professions that differ by two or more between tables",
    ),
    (
        "seating.duplicates",
        "同じ所属の人の重なり：{0}人（避けられない分：{1}人）",
        "People sharing a table with their own organization: {0} (unavoidable: {1})",
    ),
    (
        "seating.sides",
        "病院側か在宅側が欠けたテーブル：{0}（避けられない分：{1}）",
        "Tables missing the hospital or the home side: {0} (unavoidable: {1})",
    ),
    (
        "seating.uneven_areas",
        "テーブルごとの人数の差が2人以上の地区",
        "Areas that differ by two or more between tables",
    ),
    (
        "seating.unseated",
        "席が決まっていない人（{0}人）",
        "Not seated yet ({0})",
    ),
    ("seating.people", "{0}人", "{0} people"),
    ("seating.pinned", "手で移動", "Moved by hand"),
    (
        "seating.move_to",
        "No.{0}の移動先テーブル",
        "Table to move No. {0} to",
    ),
    ("seating.move", "移動", "Move"),
    ("seating.empty_table", "まだ誰もいません", "Nobody yet"),
    ("seating.print_title", "席割り表", "Seating list"),
    (
        "seating.index",
        "参加者の席（番号順）",
        "Where each person sits (by number)",
    ),
    // Data retention
    ("purge.title", "個人情報の削除", "Purge personal data"),
    (
        "purge.lead",
        "参加者の名前と、テーブルが書いた自由記述（すべての版）を消します。選択・段階評価・順位などの集計と操作の記録は残ります。元には戻せません。",
        "Removes participants' names and every free text the tables wrote (all versions). Choices, scales, rankings and the audit log stay. This cannot be undone.",
    ),
    (
        "purge.confirm",
        "元に戻せないことを理解しました",
        "I understand this cannot be undone",
    ),
    ("purge.submit", "個人情報を削除する", "Purge personal data"),
    (
        "purge.done",
        "{0} に個人情報を削除しました。",
        "Personal data was purged at {0}.",
    ),
    (
        "purge.only_closed",
        "研修会を終了してから削除できます。",
        "Close the session first, then purge.",
    ),
    (
        "err.purge_confirm",
        "元に戻せないことを確認するチェックを入れてください。",
        "Tick the box to confirm; this cannot be undone.",
    ),
    (
        "err.purge_open",
        "開催中の研修会の記録は削除できません。先に研修会を終了してください。",
        "A session that is still open cannot be purged. Close it first.",
    ),
    // Exchange: session export and import
    (
        "exchange.downloads",
        "データのダウンロード",
        "Data downloads",
    ),
    (
        "exchange.download_json",
        "研修会データ（JSON）",
        "Session data (JSON)",
    ),
    (
        "exchange.download_csv",
        "全テーブルの結論（CSV）",
        "All tables' conclusions (CSV)",
    ),
    ("exchange.download_table_csv", "テーブル{0}", "Table {0}"),
    (
        "exchange.download_help",
        "JSONは研修会のすべて（結論のすべての版、名簿、アンケート、操作の記録）を含み、保管や別のサーバーへの移動に使います。CSVは各テーブルの最新の結論を1項目1行にしたもので、Excelでそのまま開けます。",
        "The JSON holds all of the session (every version of every conclusion, the roster, the survey, the audit log), to keep or to move to another server. The CSV has each table's newest conclusions, one field per row, and opens as it is in Excel.",
    ),
    (
        "exchange.import_title",
        "別のサーバーの研修会を読み込む",
        "Import a session from another server",
    ),
    (
        "exchange.import_lead",
        "別のACPワークブックの記録ページで「研修会データ（JSON）」として書き出したファイルを選びます。研修会・テーブル・名簿の番号はそのまま引き継ぎ、参加コードとファシリテーター・プロジェクター・テーブルのリンクは新しく作ります（元のサーバーのリンクはここでは使えません）。",
        "Choose a file exported as “Session data (JSON)” on another ACP Workbook's record page. The session, table and roster numbers stay the same; the join code and the facilitator, projector and table links are new (the other server's links do not work here).",
    ),
    (
        "exchange.import_file",
        "研修会データ（JSON）",
        "Session data (JSON)",
    ),
    ("exchange.import_submit", "読み込む", "Import"),
    (
        "exchange.imported",
        "「{0}」（{1}）を読み込みました。",
        "Imported “{0}” ({1}).",
    ),
    (
        "exchange.import_failed",
        "読み込めませんでした：{0}",
        "Could not import {0}",
    ),
    (
        "exchange.err_no_file",
        "読み込むファイルを選んでください。",
        "Choose the file to import.",
    ),
    (
        "exchange.err_not_text",
        "ファイルがUTF-8のテキストではありません。記録ページで書き出した「研修会データ（JSON）」のファイルを選んでください。",
        "The file is not UTF-8 text. Choose a “Session data (JSON)” file exported on a record page.",
    ),
    (
        "exchange.err_not_json",
        "JSONとして読めません（{0}行目 {1}文字目：{2}）。ファイルが途中で切れているか、別の種類のファイルです。書き出したファイルを、手を加えずにもう一度選んでください。",
        "This is not valid JSON (line {0}, column {1}: {2}). The file is cut short or of another kind; choose the exported file again, unchanged.",
    ),
    (
        "exchange.err_not_session",
        "ACPワークブックの研修会データではありません（\"format\": \"{0}\" がありません）。記録ページの「研修会データ（JSON）」で書き出したファイルを選んでください。",
        "This is not an ACP Workbook session file (it lacks \"format\": \"{0}\"). Choose a file exported with “Session data (JSON)” on a record page.",
    ),
    (
        "exchange.err_newer",
        "このファイルは新しいバージョンのACPワークブック（{2}）で書き出されました（データ形式 {0}、このサーバーが読めるのは形式 {1} まで）。先にこのサーバーのACPワークブックを更新してから、もう一度読み込んでください。何も読み込んでいません。",
        "This file was written by a newer ACP Workbook ({2}) in format version {0}; this server reads up to version {1}. Update this server's ACP Workbook first, then import the file again. Nothing was imported.",
    ),
    (
        "exchange.err_invalid",
        "ファイルの内容に問題があります（{0}件）。何も読み込んでいません。手で直したファイルなら次の箇所を直すか、元のサーバーでもう一度書き出してください。",
        "The file has problems ({0}); nothing was imported. If the file was edited by hand, fix the places below, or export it again on the other server.",
    ),
    (
        "exchange.err_already",
        "この研修会はすでにこのサーバーにあります：「{0}」（{1}）。二重にならないよう、何も読み込んでいません。トップページの一覧から開いてください。",
        "This session is already on this server: “{0}” ({1}). Nothing was imported, so it is not there twice; open it from the list on the home page.",
    ),
    (
        "exchange.err_survey_elsewhere",
        "アンケート回答 {0} は、このサーバーの別の研修会「{1}」（{2}）にすでにあります。同じ回答を二つの研修会に入れないよう、何も読み込んでいません。",
        "Survey response {0} is already on this server, in the session “{1}” ({2}). Nothing was imported, so no answer is in two sessions.",
    ),
    (
        "exchange.err_db",
        "データベースに書き込めませんでした。何も読み込んでいません（途中まで書いた分も取り消しました）",
        "The database refused the import; nothing was imported (what was written so far was rolled back)",
    ),
    ("exchange.bad.more", "ほか{0}件", "and {0} more"),
    (
        "exchange.bad.version",
        "データ形式のバージョン {0} は読めません（1から{1}までの整数）",
        "format version {0} cannot be read (a whole number from 1 to {1})",
    ),
    (
        "exchange.bad.missing",
        "この項目がありません",
        "this field is missing",
    ),
    (
        "exchange.bad.value",
        "値が正しくありません（{0}）",
        "wrong value ({0})",
    ),
    (
        "exchange.bad.uuid",
        "「{0}」はUUIDではありません（小文字とハイフンの形、例：1b4e28ba-2fa1-41d2-883f-0016d3cca427）",
        "“{0}” is not a UUID (lower case with hyphens, e.g. 1b4e28ba-2fa1-41d2-883f-0016d3cca427)",
    ),
    (
        "exchange.bad.empty",
        "空にはできません",
        "must not be empty",
    ),
    (
        "exchange.bad.date",
        "「{0}」は日付ではありません（YYYY-MM-DDの形）",
        "“{0}” is not a date (YYYY-MM-DD)",
    ),
    (
        "exchange.bad.range",
        "{0} は {1}〜{2} にしてください",
        "{0} is not between {1} and {2}",
    ),
    (
        "exchange.bad.min",
        "{0} は {1} 以上にしてください",
        "{0} is less than {1}",
    ),
    (
        "exchange.bad.one_of",
        "「{0}」は使えません（使えるのは {1}）",
        "“{0}” is not allowed (use one of {1})",
    ),
    (
        "exchange.bad.table",
        "テーブル{0}はありません（この研修会のテーブルは1〜{1}）",
        "there is no table {0} (the session's tables are 1 to {1})",
    ),
    (
        "exchange.bad.tables_missing",
        "テーブル {0} がありません（1からtable_countまでのすべてのテーブルが必要です）",
        "tables {0} are missing (every table from 1 to table_count is needed)",
    ),
    (
        "exchange.bad.duplicate",
        "{0} が重複しています",
        "{0} appears twice",
    ),
    (
        "exchange.bad.hash",
        "内容ファイルがハッシュと一致しません。ファイルが書き換えられたか壊れています。元のサーバーでもう一度書き出してください",
        "the content files do not match their hash: the file was changed or damaged. Export it again on the other server",
    ),
    (
        "exchange.bad.content",
        "内容ファイルを読み込めません：{0}",
        "the content files do not load: {0}",
    ),
    (
        "exchange.bad.curriculum",
        "教育プログラム「{0}」が content.files にありません",
        "the curriculum “{0}” is not in content.files",
    ),
    (
        "exchange.bad.long",
        "{0}文字あります。{1}文字までにしてください",
        "{0} characters; the limit is {1}",
    ),
    (
        "exchange.bad.prompt",
        "問い「{0}」はこの研修会の内容にありません",
        "the prompt “{0}” is not in the session's content",
    ),
    (
        "exchange.bad.answer_object",
        "回答は kind を持つJSONオブジェクトでなければなりません（あるのは {0}）",
        "an answer must be a JSON object with a kind (found {0})",
    ),
    (
        "exchange.bad.answer",
        "テーブルの画面なら保存できない回答です：{0}",
        "a table's screen would not save this answer: {0}",
    ),
    (
        "exchange.bad.survey",
        "アンケートの回答が設問に合いません（{0}）",
        "the survey answer does not fit its question ({0})",
    ),
    ("exchange.csv.table", "テーブル", "Table"),
    ("exchange.csv.step", "ステップ", "Step"),
    ("exchange.csv.step_title", "ステップ名", "Step title"),
    ("exchange.csv.scene", "場面", "Scene"),
    ("exchange.csv.prompt_id", "問いID", "Prompt id"),
    ("exchange.csv.prompt", "問い", "Prompt"),
    ("exchange.csv.field", "項目", "Field"),
    ("exchange.csv.text", "内容", "Text"),
    ("exchange.csv.version", "版", "Version"),
    ("exchange.csv.saved_at", "保存日時", "Saved at"),
    // Reports
    ("report.title", "研修会の報告", "Session report"),
    ("report.link", "報告", "Report"),
    (
        "report.rehearsal_note",
        "これはリハーサルです。ワーキンググループの報告（研修会をまたいだ集計）には含めません。",
        "This is a rehearsal. It is left out of the working group's report across sessions.",
    ),
    ("report.made", "作成日時", "Made"),
    (
        "report.purged",
        "この研修会の個人情報（名前と自由記述）は削除済みです。集計は残っています。",
        "This session's personal data (names and free text) was purged; the counts remain.",
    ),
    (
        "report.download_csv",
        "CSVでダウンロード（Excel用）",
        "Download CSV (for Excel)",
    ),
    (
        "report.download_json",
        "JSONでダウンロード",
        "Download JSON",
    ),
    (
        "report.print_hint",
        "ブラウザの印刷（Ctrl+P、⌘P）で、会議の資料として印刷できます。",
        "Print it from the browser (Ctrl+P, ⌘P) as a handout for the meeting.",
    ),
    ("report.participants", "参加者", "Participants"),
    ("report.by_profession", "職種別", "By profession"),
    ("report.by_area", "地区別", "By area"),
    ("report.profession", "職種", "Profession"),
    ("report.area", "地区", "Area"),
    ("report.count", "人数", "People"),
    ("report.total", "合計", "Total"),
    ("report.area_none", "（地区の記入なし）", "(no area given)"),
    (
        "report.from.checked-in",
        "当日受付をした人を数えています。",
        "Counts the people who checked in on the day.",
    ),
    (
        "report.from.roster",
        "名簿の全員を数えています（当日の受付の記録がありません）。",
        "Counts everyone on the roster (nobody was checked in on the day).",
    ),
    (
        "report.from.tables",
        "名簿がないため、各テーブルが申告した職種を数えています（人数ではなく、その職種がいたテーブルの数です）。",
        "No roster: counts the professions each table declared (tables where the profession sat, not people).",
    ),
    (
        "report.from.nothing",
        "名簿も、テーブルが申告した職種もありません。",
        "There is no roster, and no table declared its professions.",
    ),
    ("report.counted.checked-in", "当日受付", "checked in"),
    ("report.counted.roster", "名簿", "roster"),
    (
        "report.counted.tables",
        "テーブルの申告（テーブル数）",
        "tables' declarations (tables)",
    ),
    ("report.counted.nothing", "なし", "none"),
    (
        "report.no_participants",
        "参加者の記録はまだありません。名簿を登録するか、テーブルの参加時に職種を選んでもらうと表示されます。",
        "No participants are recorded yet. Add a roster, or have each table choose its professions when it joins.",
    ),
    (
        "report.three_field",
        "グループワークの報告（3項目）",
        "Group-work report (three fields)",
    ),
    ("report.table", "テーブル", "Table"),
    ("report.members", "メンバーの職種", "Members' professions"),
    ("report.no_members", "記録なし", "not recorded"),
    (
        "report.no_three_field",
        "この教育プログラムには3項目の報告（three-field）の問いがありません。",
        "This curriculum has no three-field report prompt.",
    ),
    ("report.survey", "アンケート結果", "Survey results"),
    ("report.phase.before", "研修の前", "before the session"),
    ("report.phase.after", "研修の後", "after the session"),
    ("report.respondents", "回答者数", "Respondents"),
    ("report.respondents_n", "回答者 {0}人", "{0} respondents"),
    (
        "report.answered_n",
        "この問いへの回答 {0}人",
        "{0} answered this question",
    ),
    ("report.mean", "平均 {0}", "Mean {0}"),
    ("report.multiple", "複数選択", "several could be chosen"),
    (
        "report.hidden",
        "回答が{0}人のため、結果は表示しません。回答者が特定されないよう、{1}人以上が回答したときに表示します。",
        "{0} people answered, so the results are not shown: they are shown from {1} answers on, so that no one can be identified.",
    ),
    (
        "report.no_comments",
        "自由記述はありません。",
        "No comments.",
    ),
    (
        "report.no_survey",
        "この教育プログラムにはアンケートのステップがありません。",
        "This curriculum has no survey step.",
    ),
    (
        "report.change",
        "研修の前との比較",
        "Compared with before the session",
    ),
    (
        "report.change_title",
        "前後の比較：{0}",
        "Before and after: {0}",
    ),
    (
        "report.change_hidden",
        "研修前のアンケートの回答が{0}人のため、比較は表示しません（{1}人以上で表示）。",
        "The before survey has {0} answers, so the comparison is not shown (it needs {1}).",
    ),
    (
        "report.change_means",
        "平均 {0}（前・{2}人）→ {1}（後・{3}人）",
        "Mean {0} (before, {2} people) → {1} (after, {3} people)",
    ),
    (
        "report.paired",
        "前と後の両方に答えた{0}人では、平均 {1} 点変わりました。",
        "Among the {0} people who answered both times, the mean changed by {1}.",
    ),
    (
        "report.paired_hidden",
        "前と後の両方に答えた人は{0}人です（{1}人以上で、同じ人の変化を表示します）。",
        "{0} people answered both times (the change of the same people is shown from {1}).",
    ),
    ("report.chart.people", "人数", "People"),
    ("report.chart.percent", "割合（%）", "Share (%)"),
    ("report.chart.count_share", "{0}人（{1}%）", "{0} ({1}%)"),
    ("report.chart.before", "研修前（{0}人）", "Before ({0})"),
    ("report.chart.after", "研修後（{0}人）", "After ({0})"),
    ("report.chart.before_mean", "前 平均{0}", "before: mean {0}"),
    ("report.chart.after_mean", "後 平均{0}", "after: mean {0}"),
    (
        "report.conclusions",
        "各テーブルの結論",
        "Each table's conclusions",
    ),
    (
        "report.no_conclusions",
        "このテーブルの結論はありません。",
        "This table saved no conclusions.",
    ),
    (
        "report.three_field_above",
        "3項目の報告は、上の「グループワークの報告（3項目）」の表にあります。",
        "The three-field reports are in the group-work report table above.",
    ),
    (
        "report.nobody_answered",
        "この問いにはだれも答えていません。",
        "Nobody answered this question.",
    ),
    (
        "report.no_other_conclusions",
        "3項目の報告のほかに、このテーブルの結論はありません。",
        "Besides its three-field report, this table saved no conclusions.",
    ),
    (
        "report.pdf.survey_elsewhere",
        "アンケートは一人ひとりがスマートフォンで答えます。集計は研修会の記録にあります。",
        "Everyone answers the survey on their own phone; the summary is in the session's record.",
    ),
    ("report.scene", "場面", "Scene"),
    ("report.question", "問い", "Question"),
    ("report.answer", "結論", "Conclusion"),
    ("report.yes", "はい", "yes"),
    ("report.no", "いいえ", "no"),
    ("report.csv.id", "ID", "ID"),
    ("report.csv.session_id", "研修会ID", "Session ID"),
    ("report.csv.what", "区分", "Row"),
    ("report.csv.option_col", "選択肢・点", "Option or point"),
    ("report.csv.value", "値（平均・%）", "Value (mean, %)"),
    ("report.csv.text", "記述", "Text"),
    ("report.csv.point", "点", "point"),
    ("report.csv.mean", "平均", "mean"),
    ("report.csv.option", "選択肢", "option"),
    ("report.csv.comment", "自由記述", "comment"),
    ("report.csv.before", "研修前", "before"),
    ("report.csv.before_mean", "研修前の平均", "mean before"),
    (
        "report.csv.before_option",
        "研修前の選択肢",
        "option before",
    ),
    (
        "report.csv.paired_change",
        "同じ人の変化（平均）",
        "change of the same people (mean)",
    ),
    ("report.theme_other", "その他", "Other"),
    (
        "report.err_curriculum",
        "教育プログラム「{0}」はありません。一覧から選んでください。",
        "There is no curriculum \"{0}\". Choose one from the list.",
    ),
    (
        "report.err_from",
        "開始日「{0}」が日付として読めません。2026-04-01 のように 年-月-日 で入れてください。",
        "The start date \"{0}\" is not a date. Write it as year-month-day, e.g. 2026-04-01.",
    ),
    (
        "report.err_to",
        "終了日「{0}」が日付として読めません。2027-03-31 のように 年-月-日 で入れてください。",
        "The end date \"{0}\" is not a date. Write it as year-month-day, e.g. 2027-03-31.",
    ),
    (
        "report.err_order",
        "開始日（{0}）が終了日（{1}）より後になっています。入れかえてください。",
        "The start date ({0}) is after the end date ({1}). Swap them.",
    ),
    (
        "reports.title",
        "ワーキンググループの報告",
        "Working group report",
    ),
    ("reports.label", "研修会をまたいだ集計", "Across sessions"),
    (
        "reports.link",
        "ワーキンググループの報告（研修会をまたいだ集計）",
        "Working group report (across sessions)",
    ),
    ("reports.any", "すべて", "All"),
    ("reports.from", "開始日", "From"),
    ("reports.to", "終了日", "To"),
    ("reports.show", "表示する", "Show"),
    ("reports.period", "期間", "Period"),
    ("reports.open_end", "指定なし", "any"),
    ("reports.made", "作成日時", "Made"),
    ("reports.sessions_count", "研修会", "Sessions"),
    ("reports.n_sessions", "{0}回", "{0} sessions"),
    (
        "reports.n_people",
        "参加者のべ{0}人",
        "{0} participants in all",
    ),
    (
        "reports.n_reports",
        "3項目の報告{0}件",
        "{0} three-field reports",
    ),
    (
        "reports.rehearsals_left",
        "リハーサルは集計に含めません（この条件で除いたリハーサル：{0}回）。",
        "Rehearsals are left out (rehearsals left out under these conditions: {0}).",
    ),
    (
        "reports.rehearsals_out",
        "除いたリハーサル",
        "Rehearsals left out",
    ),
    ("reports.sessions", "開催した研修会", "Sessions held"),
    ("reports.participants", "参加者数", "Participants"),
    ("reports.tables", "テーブル数", "Tables"),
    ("reports.hidden_short", "（{0}人未満）", "(under {0})"),
    ("reports.counted_from", "数え方", "Counted from"),
    ("reports.reports", "3項目の報告", "Three-field reports"),
    (
        "reports.participants_note",
        "参加者数は当日受付をした人（受付の記録がなければ名簿の人数、*印）。名簿のない研修会は「—」です。",
        "Participants are those who checked in (or, without check-in, the roster, marked *). Sessions without a roster show —.",
    ),
    (
        "reports.no_sessions",
        "この条件に合う研修会はありません（リハーサルは含めません）。条件を変えてください。",
        "No session matches these conditions (rehearsals are never included). Change the conditions.",
    ),
    (
        "reports.professions",
        "職種別の参加者の推移",
        "Participants by profession over time",
    ),
    (
        "reports.professions_note",
        "名簿のない研修会は、テーブルが申告した職種（その職種がいたテーブルの数）で数えています。",
        "Sessions without a roster count the professions the tables declared (tables where the profession sat).",
    ),
    (
        "reports.other_professions",
        "その他の職種",
        "Other professions",
    ),
    (
        "reports.issues",
        "くり返し挙がった課題（苦労した点）",
        "Recurring issues (what was hard)",
    ),
    (
        "reports.measures",
        "挙がった具体的方策",
        "Concrete measures proposed",
    ),
    (
        "reports.grouping_note",
        "各テーブルの「苦労した点」「具体的方策」を、行・箇条書き・句点（。）ごとに分け、キーワードでテーマに分けています。一つの記述が複数のテーマに入ることがあります。表記（全角・半角、句読点）だけが違う記述はまとめて数えています。",
        "Each table's \"what was hard\" and \"measures\" are split at lines, bullets and full stops, and sorted into themes by keywords. An item can fall under several themes. Items that differ only in width or punctuation are counted together.",
    ),
    ("reports.theme", "テーマ", "Theme"),
    ("reports.items", "件数", "Items"),
    ("reports.sessions_n", "研修会", "Sessions"),
    ("reports.tables_n", "テーブル", "Tables"),
    ("reports.examples", "主な記述", "What was written"),
    ("reports.item", "記述", "Item"),
    ("reports.item_count", "同じ記述の数", "Times written"),
    (
        "reports.where",
        "出典（開催日・テーブル）",
        "Where (date, table)",
    ),
    ("reports.times", "×{0}", "×{0}"),
    ("reports.more_items", "ほか{0}件", "{0} more"),
    ("reports.table_short", "T{0}", "T{0}"),
    (
        "reports.no_items",
        "「{0}」の記述はありません。",
        "Nothing was written under \"{0}\".",
    ),
    ("reports.trends", "アンケートの推移", "Survey trends"),
    (
        "reports.trends_note",
        "段階評価の問いの平均を研修会ごとに示します。回答が{0}人に満たない研修会は表示しません（—）。",
        "The mean of each scale question per session; sessions with fewer than {0} answers are not shown (—).",
    ),
    ("reports.mean_row", "平均", "Mean"),
    (
        "reports.no_trends",
        "{0}人以上が回答した段階評価の問いはまだありません。",
        "No scale question has {0} or more answers yet.",
    ),
];

/// The string for `key` in `lang`, if there is one.
pub fn text(lang: &str, key: &str) -> Option<&'static str> {
    STRINGS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, ja, en)| if lang == "en" { *en } else { *ja })
}

/// The string for `key` with `{0}`, `{1}`… replaced; the key itself if unknown.
pub fn format(lang: &str, key: &str, args: &[String]) -> String {
    let mut out = text(lang, key).unwrap_or(key).to_string();
    for (i, arg) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), arg);
    }
    out
}

/// Every key, for the test that templates only use known keys.
pub fn keys() -> impl Iterator<Item = &'static str> {
    STRINGS.iter().map(|(k, _, _)| *k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn files(dir: &Path, ext: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                files(&path, ext, out);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(std::fs::read_to_string(&path).expect("file"));
            }
        }
    }

    /// Every literal key used anywhere in the code or the templates has both languages.
    /// A literal counts as a key when it starts with the prefix of a defined key
    /// (`err.`, `me.`, `pdf.`…) and is not a file name. Prefixes that event kinds and
    /// export paths share (`session.created`, `roster.checked_in`) are left out.
    #[test]
    fn every_used_key_exists() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        files(&root.join("templates"), "html", &mut texts);
        files(&root.join("src"), "rs", &mut texts);
        const SHARED: [&str; 6] = ["pace", "roster", "seating", "session", "step", "timer"];
        let mut prefixes: Vec<&str> = keys()
            .filter_map(|k| k.split_once('.').map(|(p, _)| p))
            .filter(|p| !SHARED.contains(p))
            .collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        const FILES: [&str; 11] = [
            ".html", ".csv", ".json", ".pdf", ".md", ".rs", ".svg", ".css", ".js", ".sql", ".txt",
        ];
        let mut used = Vec::new();
        for text in &texts {
            for part in text.split('"').skip(1).step_by(2) {
                let known = part
                    .split_once('.')
                    .is_some_and(|(p, rest)| !rest.is_empty() && prefixes.contains(&p));
                if known
                    && part
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
                    && !part.ends_with('.')
                    && !part.ends_with('_')
                    && !FILES.iter().any(|ext| part.ends_with(ext))
                {
                    used.push(part.to_string());
                }
            }
        }
        assert!(used.len() > 300, "the scan found the keys: {used:?}");
        for lang in ["ja", "en"] {
            let missing: Vec<_> = used.iter().filter(|k| text(lang, k).is_none()).collect();
            assert!(
                missing.is_empty(),
                "keys without {lang} strings: {missing:?}"
            );
        }
        let mut all: Vec<_> = keys().collect();
        all.sort_unstable();
        let before = all.len();
        all.dedup();
        assert_eq!(before, all.len(), "a key is defined twice");
    }

    #[test]
    fn arguments_are_filled_in() {
        assert_eq!(format("ja", "table.name", &["3".into()]), "テーブル3");
        assert_eq!(format("en", "table.name", &["3".into()]), "Table 3");
        assert_eq!(format("en", "no.such.key", &[]), "no.such.key");
    }
}
