"""equality monitoring: each person's own answers (kept apart from the profile), the organisation's seldom-heard
groups, and the reference figures participation is compared with

Revision ID: 3a07d017ae91
Revises: a7c3e9d1f5b2
Create Date: 2026-11-26 16:05:43.833137

"""

import sqlalchemy as sa
from alembic import op

from copro_tracker.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = "3a07d017ae91"
down_revision = "a7c3e9d1f5b2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "equality_reference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "question",
            sa.Enum(
                "age_band",
                "disability",
                "ethnicity",
                "sex",
                "gender_same_as_birth",
                "religion",
                "sexual_orientation",
                "carer",
                "seldom_heard",
                name="equalityquestion",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_equality_reference_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_equality_reference")),
        sa.UniqueConstraint("organisation_id", "question", name="uq_equality_reference_question"),
    )
    with op.batch_alter_table("equality_reference", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_equality_reference_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "seldom_heard_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_cy", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_seldom_heard_group_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seldom_heard_group")),
    )
    with op.batch_alter_table("seldom_heard_group", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seldom_heard_group_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "equality_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "age_band",
            sa.Enum(
                "under_16",
                "16_24",
                "25_34",
                "35_44",
                "45_54",
                "55_64",
                "65_74",
                "75_84",
                "85_over",
                "prefer_not_to_say",
                name="ageband",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "disability",
            sa.Enum(
                "yes_a_lot", "yes_a_little", "no", "prefer_not_to_say", name="disability", native_enum=False, length=32
            ),
            nullable=True,
        ),
        sa.Column(
            "ethnicity",
            sa.Enum(
                "asian",
                "black",
                "mixed",
                "white",
                "other",
                "prefer_not_to_say",
                name="ethnicity",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "sex",
            sa.Enum("female", "male", "prefer_not_to_say", name="sex", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column(
            "gender_same_as_birth",
            sa.Enum("same", "different", "prefer_not_to_say", name="gendersameasbirth", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column(
            "religion",
            sa.Enum(
                "none",
                "christian",
                "buddhist",
                "hindu",
                "jewish",
                "muslim",
                "sikh",
                "other",
                "prefer_not_to_say",
                name="religion",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "sexual_orientation",
            sa.Enum(
                "straight",
                "gay_or_lesbian",
                "bisexual",
                "other",
                "prefer_not_to_say",
                name="sexualorientation",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "carer",
            sa.Enum("carer", "not_carer", "prefer_not_to_say", name="carerstatus", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("seldom_heard", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_equality_answers_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_equality_answers_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_equality_answers")),
        sa.UniqueConstraint("user_id", name=op.f("uq_equality_answers_user_id")),
    )
    with op.batch_alter_table("equality_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_equality_answers_organisation_id"), ["organisation_id"], unique=False)


def downgrade():
    refuse_to_drop_data(revision, tables=["equality_answers", "seldom_heard_group", "equality_reference"])
    with op.batch_alter_table("equality_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_equality_answers_organisation_id"))

    op.drop_table("equality_answers")
    with op.batch_alter_table("seldom_heard_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seldom_heard_group_organisation_id"))

    op.drop_table("seldom_heard_group")
    with op.batch_alter_table("equality_reference", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_equality_reference_organisation_id"))

    op.drop_table("equality_reference")
