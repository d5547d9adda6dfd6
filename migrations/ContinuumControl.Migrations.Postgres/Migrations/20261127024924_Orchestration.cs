using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContinuumControl.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Orchestration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CheckpointManifestJson",
                table: "Workloads",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CheckpointedAt",
                table: "Workloads",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Pinned",
                table: "Workloads",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Priority",
                table: "Workloads",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "Normal");

            migrationBuilder.AddColumn<double>(
                name: "EnergyHarvestWatts",
                table: "Nodes",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "EnergyLevel",
                table: "Nodes",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "EnergySecondsLeft",
                table: "Nodes",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "QueuedWorkloads",
                table: "Nodes",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "SlotsUsed",
                table: "Nodes",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "SuspendedWorkloads",
                table: "Nodes",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "Policies",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Paused = table.Column<bool>(type: "boolean", nullable: false),
                    LastRunAt = table.Column<long>(type: "bigint", nullable: true),
                    LastResult = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Policies", x => x.Name);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Policies");

            migrationBuilder.DropColumn(
                name: "CheckpointManifestJson",
                table: "Workloads");

            migrationBuilder.DropColumn(
                name: "CheckpointedAt",
                table: "Workloads");

            migrationBuilder.DropColumn(
                name: "Pinned",
                table: "Workloads");

            migrationBuilder.DropColumn(
                name: "Priority",
                table: "Workloads");

            migrationBuilder.DropColumn(
                name: "EnergyHarvestWatts",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "EnergyLevel",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "EnergySecondsLeft",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "QueuedWorkloads",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "SlotsUsed",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "SuspendedWorkloads",
                table: "Nodes");
        }
    }
}
