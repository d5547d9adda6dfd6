using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContinuumControl.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class I11RecoveryRestartPolicy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Attempts",
                table: "Workloads",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<int>(
                name: "CheckpointIntervalSeconds",
                table: "Workloads",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "FailureRestarts",
                table: "Workloads",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "MaxRestarts",
                table: "Workloads",
                type: "INTEGER",
                nullable: false,
                defaultValue: 3);

            migrationBuilder.AddColumn<long>(
                name: "RestartAt",
                table: "Workloads",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RestartBackoffSeconds",
                table: "Workloads",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "RestartPolicy",
                table: "Workloads",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "OnNodeLoss");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Attempts",
                table: "Workloads");

            migrationBuilder.DropColumn(
                name: "CheckpointIntervalSeconds",
                table: "Workloads");

            migrationBuilder.DropColumn(
                name: "FailureRestarts",
                table: "Workloads");

            migrationBuilder.DropColumn(
                name: "MaxRestarts",
                table: "Workloads");

            migrationBuilder.DropColumn(
                name: "RestartAt",
                table: "Workloads");

            migrationBuilder.DropColumn(
                name: "RestartBackoffSeconds",
                table: "Workloads");

            migrationBuilder.DropColumn(
                name: "RestartPolicy",
                table: "Workloads");
        }
    }
}
