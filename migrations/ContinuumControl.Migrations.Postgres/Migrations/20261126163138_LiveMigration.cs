using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContinuumControl.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class LiveMigration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "InstrumentedHash",
                table: "Modules",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SafePoints",
                table: "Modules",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "Migrations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkloadId = table.Column<Guid>(type: "uuid", nullable: false),
                    SourceNodeId = table.Column<Guid>(type: "uuid", nullable: false),
                    TargetNodeId = table.Column<Guid>(type: "uuid", nullable: false),
                    SourceGeneration = table.Column<long>(type: "bigint", nullable: false),
                    Phase = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Trigger = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    PreCopy = table.Column<bool>(type: "boolean", nullable: false),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    RequestedAt = table.Column<long>(type: "bigint", nullable: false),
                    PreparingAt = table.Column<long>(type: "bigint", nullable: true),
                    CheckpointingAt = table.Column<long>(type: "bigint", nullable: true),
                    TransferringAt = table.Column<long>(type: "bigint", nullable: true),
                    RestoringAt = table.Column<long>(type: "bigint", nullable: true),
                    FinishedAt = table.Column<long>(type: "bigint", nullable: true),
                    DowntimeMs = table.Column<double>(type: "double precision", nullable: true),
                    BytesMoved = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Migrations", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Migrations_RequestedAt",
                table: "Migrations",
                column: "RequestedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Migrations_WorkloadId",
                table: "Migrations",
                column: "WorkloadId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Migrations");

            migrationBuilder.DropColumn(
                name: "InstrumentedHash",
                table: "Modules");

            migrationBuilder.DropColumn(
                name: "SafePoints",
                table: "Modules");
        }
    }
}
