"""Constructor arguments `tests/test_common.py` needs for the callbacks (none of them touches the
file system when constructed)."""

REQUIRED_ARGS = {
    "ModelCheckpoint": {"filepath": "model.keras"},
    "LearningRateScheduler": {"schedule": lambda epoch, lr: lr},
    "CSVLogger": {"filename": "training.csv"},
    "BackupAndRestore": {"backup_dir": "backup"},
}
