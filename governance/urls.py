from django.urls import path

from governance.views import actions, agenda, boards, meetings, packs, papers, reminders, thread

app_name = "governance"

urlpatterns = [
    path("", boards.board_list, name="board-list"),
    path("boards/new/", boards.board_create, name="board-create"),
    path("boards/<int:pk>/", boards.board_detail, name="board-detail"),
    path("boards/<int:pk>/edit/", boards.board_edit, name="board-edit"),
    path("boards/<int:pk>/history/", boards.board_history, name="board-history"),
    path("boards/<int:board_pk>/meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/history/", meetings.meeting_history, name="meeting-history"),
    path("meetings/<int:pk>/attendance/", meetings.meeting_attendance, name="meeting-attendance"),
    path("meetings/<int:pk>/minutes/", meetings.meeting_minutes, name="meeting-minutes"),
    path("meetings/<int:pk>/close/", meetings.meeting_close_view, name="meeting-close"),
    path("meetings/<int:pk>/decisions/new/", meetings.decision_add, name="decision-add"),
    path("meetings/<int:pk>/agenda/new/", agenda.agenda_item_add, name="agenda-item-add"),
    path("agenda/linkables/", agenda.linkable_search, name="linkable-search"),
    path("agenda/<int:pk>/", thread.agenda_item_detail, name="agenda-item-detail"),
    path("decisions/<int:pk>/", thread.decision_detail, name="decision-detail"),
    path("agenda/<int:pk>/edit/", agenda.agenda_item_edit, name="agenda-item-edit"),
    path("agenda/<int:pk>/move/", agenda.agenda_item_move_view, name="agenda-item-move"),
    path("agenda/<int:pk>/remove/", agenda.agenda_item_remove_view, name="agenda-item-remove"),
    path("meetings/<int:pk>/papers/new/", papers.paper_upload_view, name="paper-upload"),
    path("papers/<int:pk>/download/", papers.paper_download, name="paper-download"),
    path("meetings/<int:pk>/pack/", packs.pack_request, name="pack-request"),
    path("packs/<int:pk>/", packs.pack_detail, name="pack-detail"),
    path("packs/<int:pk>/download/", packs.pack_download, name="pack-download"),
    path("packs/<int:pk>/retry/", packs.pack_retry, name="pack-retry"),
    path("actions/", actions.action_list, name="action-list"),
    path("actions/mine/", actions.my_actions, name="my-actions"),
    path("actions/export.<str:fmt>", actions.action_export, name="action-export"),
    path("actions/new/", actions.action_create_view, name="action-create"),
    path("actions/<int:pk>/", actions.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", actions.action_edit_view, name="action-edit"),
    path("actions/<int:pk>/update/", actions.action_update_view, name="action-update"),
    path("actions/<int:pk>/history/", actions.action_history, name="action-history"),
    path("reminders/", reminders.reminder_list, name="reminder-list"),
]
