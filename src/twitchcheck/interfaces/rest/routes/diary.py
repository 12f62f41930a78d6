"""The diary over HTTP: ``/api/v1/diary/...`` (JSON; errors are problem+json).

Every route acts for the caller (:mod:`twitchcheck.interfaces.rest.auth`): the local user in
single-user mode, the signed-in user in multi-user mode. An id that belongs to someone else is
answered exactly like a missing one (404), by the store, which also audits the refusal.

Path ids are bounded by :data:`twitchcheck.interfaces.rest.paths.MAX_ID`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
import zipfile
from pathlib import Path as FsPath
from typing import Annotated, Literal, get_args

from fastapi import APIRouter, File, Path, Query, Response, UploadFile
from fastapi.concurrency import run_in_threadpool

from twitchcheck.diary import analysis
from twitchcheck.diary import schemas as ds
from twitchcheck.errors import RecordError
from twitchcheck.interfaces.rest.deps import CheckerDep, StoreDep, UserDep
from twitchcheck.interfaces.rest.paths import DIARY_API, MAX_ID
from twitchcheck.interfaces.rest.schemas import AssessIn

#: Largest CSV upload read for an import (the app's body limit applies first).
MAX_IMPORT_BYTES = 50 * 1024 * 1024

EpisodeId = Annotated[int, Path(ge=1, le=MAX_ID, description="An episode id.")]
CheckinId = Annotated[int, Path(ge=1, le=MAX_ID, description="A check-in id.")]
RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="An assessment record id.")]
Since = Annotated[dt.date | None, Query(description="First day (inclusive), YYYY-MM-DD.")]
Until = Annotated[dt.date | None, Query(description="Last day (inclusive), YYYY-MM-DD.")]
Limit = Annotated[int, Query(ge=1, le=1000)]

#: The charts served as SVG (those of :mod:`twitchcheck.diary.charts`).
ChartName = Literal["episodes", "duration_intensity", "triggers"]
CHART_NAMES: tuple[str, ...] = get_args(ChartName)

router = APIRouter(prefix=DIARY_API, tags=["diary"])


# -- profile -----------------------------------------------------------------------------------
@router.get("/profile", response_model=ds.ProfilePublic)
def get_profile(user: UserDep, store: StoreDep) -> ds.ProfilePublic:
    """Birth year and sex: what the diary's re-triage passes to the engine."""
    return store.profile(user)


@router.put("/profile", response_model=ds.ProfilePublic)
def put_profile(body: ds.ProfileIn, user: UserDep, store: StoreDep) -> ds.ProfilePublic:
    return store.set_profile(user, body)


# -- episodes ----------------------------------------------------------------------------------
@router.post("/episodes", response_model=ds.EpisodePublic, status_code=201)
def add_episode(body: ds.EpisodeIn, user: UserDep, store: StoreDep) -> ds.EpisodePublic:
    """Record one twitching episode."""
    return store.add_episode(user, body)


@router.get("/episodes", response_model=list[ds.EpisodePublic])
def list_episodes(
    user: UserDep,
    store: StoreDep,
    since: Since = None,
    until: Until = None,
    limit: Limit = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> list[ds.EpisodePublic]:
    """Newest first."""
    return store.list_episodes(user, since, until, limit, offset)


@router.get("/episodes/{episode_id}", response_model=ds.EpisodePublic)
def get_episode(episode_id: EpisodeId, user: UserDep, store: StoreDep) -> ds.EpisodePublic:
    return store.get_episode(user, episode_id)


@router.patch("/episodes/{episode_id}", response_model=ds.EpisodePublic)
def update_episode(
    episode_id: EpisodeId, body: ds.EpisodeUpdate, user: UserDep, store: StoreDep
) -> ds.EpisodePublic:
    """Change the fields given; the others stay as they are."""
    return store.update_episode(user, episode_id, body)


@router.delete("/episodes/{episode_id}", status_code=204)
def delete_episode(episode_id: EpisodeId, user: UserDep, store: StoreDep) -> Response:
    store.delete_episode(user, episode_id)
    return Response(status_code=204)


# -- check-ins ---------------------------------------------------------------------------------
@router.post("/checkins", response_model=ds.CheckInPublic, status_code=201)
def add_checkin(body: ds.CheckInIn, user: UserDep, store: StoreDep) -> ds.CheckInPublic:
    """Findings answered yes/no on one date (e.g. weakness, swallowing, speech)."""
    return store.add_checkin(user, body)


@router.get("/checkins", response_model=list[ds.CheckInPublic])
def list_checkins(
    user: UserDep, store: StoreDep, since: Since = None, limit: Limit = 1000
) -> list[ds.CheckInPublic]:
    """Oldest first."""
    return store.list_checkins(user, since, limit)


@router.get("/checkins/{checkin_id}", response_model=ds.CheckInPublic)
def get_checkin(checkin_id: CheckinId, user: UserDep, store: StoreDep) -> ds.CheckInPublic:
    return store.get_checkin(user, checkin_id)


@router.delete("/checkins/{checkin_id}", status_code=204)
def delete_checkin(checkin_id: CheckinId, user: UserDep, store: StoreDep) -> Response:
    store.delete_checkin(user, checkin_id)
    return Response(status_code=204)


# -- assessments and the re-triage ---------------------------------------------------------------
@router.post("/assessments", response_model=ds.AssessmentRecordPublic, status_code=201)
def add_assessment(
    body: AssessIn, user: UserDep, store: StoreDep, checker: CheckerDep
) -> ds.AssessmentRecordPublic:
    """Run an assessment (the body of POST /api/v1/assess) and keep it with its evidence."""
    result = body.run(checker)
    evidence = body.model_dump(mode="json")
    return store.record_assessment(user, evidence, result.model_dump(mode="json"), "manual")


@router.post("/progression", response_model=analysis.ProgressionView)
def run_progression(
    user: UserDep, store: StoreDep, checker: CheckerDep
) -> analysis.ProgressionView:
    """Compare the last two weeks with the four before and triage afresh; the result is kept
    as an assessment (origin "diary")."""
    return analysis.progression(store, user, checker, record=True)


@router.get("/progression", response_model=analysis.ProgressionView)
def peek_progression(
    user: UserDep,
    store: StoreDep,
    checker: CheckerDep,
    record: Annotated[
        Literal[False],
        Query(description="A GET never records; POST /progression keeps the result."),
    ] = False,
) -> analysis.ProgressionView:
    """The same check as POST, without keeping the result."""
    return analysis.progression(store, user, checker, record=False)


@router.get(
    "/report.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "A one-page PDF."}},
)
def report_pdf(user: UserDep, store: StoreDep, checker: CheckerDep) -> Response:
    """A one-page report to bring to a doctor."""
    from twitchcheck.diary.report import write_report

    with tempfile.TemporaryDirectory(prefix="twitchcheck-") as tmp:
        out = FsPath(tmp) / "report.pdf"
        write_report(store, user, checker, out)
        data = out.read_bytes()
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="twitch-diary-report.pdf"'},
    )


@router.get("/assessments", response_model=list[ds.AssessmentRecordPublic])
def list_assessments(
    user: UserDep, store: StoreDep, limit: Limit = 100
) -> list[ds.AssessmentRecordPublic]:
    """Newest first."""
    return store.list_assessments(user, limit)


@router.get("/assessments/{record_id}", response_model=ds.AssessmentRecordPublic)
def get_assessment(
    record_id: RecordId, user: UserDep, store: StoreDep
) -> ds.AssessmentRecordPublic:
    return store.get_assessment(user, record_id)


@router.delete("/assessments/{record_id}", status_code=204)
def delete_assessment(record_id: RecordId, user: UserDep, store: StoreDep) -> Response:
    store.delete_assessment(user, record_id)
    return Response(status_code=204)


# -- views -------------------------------------------------------------------------------------
@router.get("/trends", response_model=analysis.TrendView)
def get_trends(
    user: UserDep, store: StoreDep, since: Since = None, until: Until = None
) -> analysis.TrendView:
    """Episodes per day and per week, and where the twitching has been."""
    return analysis.trends(store, user, since=since, until=until)


@router.get("/triggers", response_model=analysis.TriggerView)
def get_triggers(
    user: UserDep, store: StoreDep, since: Since = None, until: Until = None
) -> analysis.TriggerView:
    """How twitching goes with caffeine, sleep and stress (association, not cause)."""
    return analysis.triggers(store, user, since=since, until=until)


@router.get(
    "/charts/{name}.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "An SVG chart."}},
)
def get_chart(
    name: Annotated[ChartName, Path(description="Which chart.")],
    user: UserDep,
    store: StoreDep,
) -> Response:
    """One chart of the diary as SVG (shown on the diary page)."""
    from twitchcheck.diary import charts

    if name == "triggers":
        fig = charts.triggers_figure(analysis.triggers(store, user))
    elif name == "episodes":
        fig = charts.episodes_figure(analysis.trends(store, user))
    else:
        fig = charts.duration_intensity_figure(analysis.trends(store, user))
    out = io.BytesIO()
    fig.savefig(out, format="svg")
    return Response(out.getvalue(), media_type="image/svg+xml")


# -- exchange ----------------------------------------------------------------------------------
@router.get(
    "/export/csv",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}, "description": "A zip of CSV files."}},
)
def export_csv(user: UserDep, store: StoreDep) -> Response:
    """Everything as CSV (episodes, check-ins, assessments, profile), in one zip file."""
    from twitchcheck.diary.exchange import export_csv as write_csv

    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="twitchcheck-") as tmp:
        paths = write_csv(store, user, FsPath(tmp))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in paths:
                zf.write(path, arcname=path.name)
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="twitch-diary-csv.zip"'},
    )


@router.get(
    "/export/fhir",
    response_class=Response,
    responses={
        200: {"content": {"application/fhir+json": {}}, "description": "A FHIR R4B Bundle."}
    },
)
def export_fhir(user: UserDep, store: StoreDep) -> Response:
    """Everything as a FHIR R4B Bundle (Observations for episodes and check-in answers)."""
    from twitchcheck.diary.exchange import export_fhir as to_fhir

    bundle = to_fhir(store, user, store.kb)
    return Response(
        json.dumps(bundle, ensure_ascii=False),
        media_type="application/fhir+json",
        headers={"Content-Disposition": 'attachment; filename="twitch-diary-fhir.json"'},
    )


#: The names an import may carry inside a zip (what /export/csv writes).
IMPORT_NAMES = ("episodes.csv", "checkins.csv", "assessments.csv", "profile.csv")


@router.post("/import", response_model=ds.ImportReport)
async def import_csv(
    user: UserDep,
    store: StoreDep,
    file: Annotated[
        UploadFile, File(description="episodes.csv, or the zip that /export/csv gives.")
    ],
) -> ds.ImportReport:
    """Import episodes (and check-ins, assessments and the profile from the export zip) in one
    transaction. A bad row is a 422 naming the row and field, and nothing is stored; entries
    the diary already has are skipped; the profile is set only if the diary has none."""
    from twitchcheck.diary.exchange import import_csv as read_csv

    data = await file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise RecordError([("file", f"is larger than {MAX_IMPORT_BYTES} bytes")])
    if not data:
        raise RecordError([("file", "is empty")])

    def run() -> ds.ImportReport:
        with tempfile.TemporaryDirectory(prefix="twitchcheck-") as tmp:
            folder = FsPath(tmp)
            if data[:4] == b"PK\x03\x04":
                try:
                    with zipfile.ZipFile(io.BytesIO(data)) as zf:
                        names = [n for n in zf.namelist() if n in IMPORT_NAMES]
                        if "episodes.csv" not in names:
                            raise RecordError([("file", "the zip holds no episodes.csv")])
                        for name in names:  # only known names: never a path from the archive
                            (folder / name).write_bytes(zf.read(name))
                except zipfile.BadZipFile:
                    raise RecordError([("file", "is not a readable zip file")]) from None
            else:
                (folder / "episodes.csv").write_bytes(data)
            return read_csv(store, user, folder)

    return await run_in_threadpool(run)


@router.delete("", response_model=ds.DeleteReport)
def delete_everything(user: UserDep, store: StoreDep) -> ds.DeleteReport:
    """Delete every entry of my diary (episodes, check-ins, assessments). Cannot be undone."""
    return store.delete_all(user)
