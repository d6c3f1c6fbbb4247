"""Group membership follows the partner profile, however the profile is written (admin, seed, service):
this is the one place that keeps `partner-org-<id>` groups true, so it lives on the model's save."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from partnerships.models import PartnerProfile, Partnership


@receiver(post_save, sender=PartnerProfile, dispatch_uid="partnerships-profile-group")
def _profile_saved(sender, instance, **kwargs):
    from partnerships.grants import sync_profile_group

    sync_profile_group(instance)


@receiver(post_delete, sender=PartnerProfile, dispatch_uid="partnerships-profile-group-removed")
def _profile_deleted(sender, instance, **kwargs):
    from partnerships.grants import remove_profile_group

    remove_profile_group(instance)


@receiver(post_delete, sender=Partnership, dispatch_uid="partnerships-forum-board-grants")
def _partnership_deleted(sender, instance, **kwargs):
    # The partnership's own grants cascade with it; the board outlives it, so its partner grants go here.
    if instance.board_id:
        from governance.models import BoardGroupObjectPermission

        BoardGroupObjectPermission.objects.filter(
            content_object_id=instance.board_id, group__name__startswith="partner-org-"
        ).delete()
