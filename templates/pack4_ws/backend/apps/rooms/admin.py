"""Members and comments in the admin: who a report is shared with, what was said in its room."""

from django.contrib import admin

from .models import Comment, ReportMember


@admin.register(ReportMember)
class ReportMemberAdmin(admin.ModelAdmin):
    list_display = ["report", "user", "added_at"]
    list_select_related = ["report", "user"]
    search_fields = ["report__title", "user__username"]
    raw_id_fields = ["report", "user"]
    date_hierarchy = "added_at"


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["id", "report", "author", "short_body", "created_at"]
    list_select_related = ["report", "author"]
    list_filter = ["created_at"]
    search_fields = ["=id", "body", "author__username", "report__title"]
    raw_id_fields = ["report", "author"]
    date_hierarchy = "created_at"
    # Clients hold comment ids as their catch-up cursor: moderate by editing or deleting,
    # never by adding comments out of order here.
    readonly_fields = ["created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="Comment")
    def short_body(self, comment: Comment) -> str:
        return comment.body[:80]
