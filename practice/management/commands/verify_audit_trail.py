import logging

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from practice.audit_checkpoint import (
    Checkpoint,
    CheckpointFileTampered,
    append_checkpoints,
    checkpoint_path,
    latest_checkpoints,
)
from practice.management.commands.seal_audit_trail import practice_option, seal_and_report
from practice.models import Practice
from practice.selectors import audit_chain_anchor, audit_chain_entry, audit_chain_head, audit_chain_verify

logger = logging.getLogger("practice.audit")


class Command(BaseCommand):
    help = (
        "Seal the entries written since the last seal (as seal_audit_trail does), then "
        "verify every practice's audit hash chain and report the first broken link; check that "
        "the chain still reaches the head recorded by the last run (AUDIT_CHECKPOINT_PATH), so "
        "that removing the newest entries is seen; record the heads of intact chains."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practice", help="Only this practice (id).")

    def handle(self, *args, practice=None, **options):
        only = practice_option(practice)
        practices = Practice.objects.order_by("name")
        if only is not None:
            practices = practices.filter(pk=only.pk)
        path = checkpoint_path()
        try:
            recorded = latest_checkpoints(path)
        except CheckpointFileTampered as exc:
            raise CommandError(f"The audit checkpoint file has been altered: {exc}.") from None
        # Entries written since the last seal join the chain first, so that they are checked
        # and the heads recorded below include them. Entries sealed later are not checked yet.
        seal_and_report(self, only)

        broken = 0
        heads: list[Checkpoint] = []
        now = timezone.now().isoformat()
        for item in practices:
            problem = self._check(item, recorded.get(item.pk))
            if problem:
                broken += 1
                self.stdout.write(self.style.ERROR(f"{item.name}: {problem}."))
                logger.error("audit trail of practice %s: %s", item.pk, problem)
                continue
            head = audit_chain_head(practice=item)
            if head is not None:
                heads.append(Checkpoint(item.pk, head.sequence, head.hash, now))
        for line in append_checkpoints(path, heads):
            logger.info("audit checkpoint %s", line)
        if broken:
            raise CommandError(f"{broken} practice(s) have a broken audit trail.")

    def _check(self, practice: Practice, checkpoint: Checkpoint | None) -> str | None:
        checked, chain_break = audit_chain_verify(practice=practice)
        if chain_break is not None:
            return f"chain broken at entry #{chain_break.sequence} (id {chain_break.entry_id}): {chain_break.reason}"
        if checkpoint is not None:
            entry = audit_chain_entry(practice=practice, sequence=checkpoint.sequence)
            anchor = audit_chain_anchor(practice=practice)
            if entry is None and anchor is not None and checkpoint.sequence <= anchor.through_sequence:
                # Removed past the retention period by prune_audit_trail, which the chain records;
                # the last removed entry's hash is kept in the anchor.
                if checkpoint.sequence == anchor.through_sequence and anchor.through_hash != checkpoint.hash:
                    return (
                        f"chain rewritten: entry #{checkpoint.sequence} is not the one recorded at "
                        f"{checkpoint.recorded_at}"
                    )
            elif entry is None:
                return (
                    f"chain truncated: it ends at entry #{checked}, but entry #{checkpoint.sequence} "
                    f"existed when checked at {checkpoint.recorded_at}"
                )
            elif entry.hash != checkpoint.hash:
                return (
                    f"chain rewritten: entry #{checkpoint.sequence} is not the one recorded at {checkpoint.recorded_at}"
                )
        self.stdout.write(f"{practice.name}: {checked} entries, chain intact.")
        return None
