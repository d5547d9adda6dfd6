using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContinuumControl.Migrations.Sqlite.Migrations
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
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SafePoints",
                table: "Modules",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "Migrations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkloadId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SourceNodeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TargetNodeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SourceGeneration = table.Column<long>(type: "INTEGER", nullable: false),
                    Phase = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PreCopy = table.Column<bool>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PreparingAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CheckpointingAt = table.Column<long>(type: "INTEGER", nullable: true),
                    TransferringAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RestoringAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DowntimeMs = table.Column<double>(type: "REAL", nullable: true),
                    BytesMoved = table.Column<long>(type: "INTEGER", nullable: false)
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
