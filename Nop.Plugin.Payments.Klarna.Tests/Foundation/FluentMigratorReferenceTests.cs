using FluentMigrator;
using Nop.Data.Mapping.Builders;
using Nop.Data.Migrations;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Foundation;

/// <summary>
/// The FluentMigrator 7.1.0 compile-only reference offers the fluent chains a plugin migration uses
/// (these samples only need to compile and load; FluentMigrator code never runs in tests)
/// </summary>
[TestFixture]
public class FluentMigratorReferenceTests
{
    [NopMigration("2026/01/01 00:00:00", "Foundation sample", MigrationProcessType.Installation)]
    private sealed class SampleMigration : AutoReversingMigration
    {
        public override void Up()
        {
            Create.Table("Sample")
                .WithColumn("Id").AsInt32().PrimaryKey().Identity()
                .WithColumn("Name").AsString(100).NotNullable().Unique()
                .WithColumn("AmountMinor").AsInt64().NotNullable()
                .WithColumn("Done").AsBoolean().NotNullable()
                .WithColumn("CreatedOnUtc").AsDateTime2().NotNullable().Indexed()
                .WithColumn("Note").AsString(int.MaxValue).Nullable();

            Create.Index("IX_Sample_Name").OnTable("Sample").OnColumn("Name").Ascending().WithOptions().Unique();
        }
    }

    private sealed class SampleMigrationWithDown : Migration
    {
        public override void Up() { }

        public override void Down() { }
    }

    private sealed class SampleEntity : Nop.Core.BaseEntity { }

    private sealed class SampleBuilder : NopEntityBuilder<SampleEntity>
    {
        public override void MapEntity(FluentMigrator.Builders.Create.Table.CreateTableExpressionBuilder table)
        {
            table.WithColumn("Reference").AsString(64).NotNullable();
        }
    }

    [Test]
    public void Migration_types_compiled_against_the_reference_load_with_their_attributes()
    {
        var attribute = typeof(SampleMigration).GetCustomAttributes(typeof(MigrationAttribute), false);

        Assert.Multiple(() =>
        {
            Assert.That(attribute, Has.Length.EqualTo(1));
            Assert.That(attribute[0], Is.InstanceOf<NopMigrationAttribute>());
            Assert.That(typeof(SampleMigration).IsSubclassOf(typeof(MigrationBase)), Is.True);
            Assert.That(typeof(IMigration).IsAssignableFrom(typeof(SampleMigrationWithDown)), Is.True);
            Assert.That(typeof(SampleBuilder).BaseType, Is.EqualTo(typeof(NopEntityBuilder<SampleEntity>)));
        });
    }

    [Test]
    public void No_project_references_a_FluentMigrator_package()
    {
        // The mirror's FluentMigrator packages (3.2.9 / 8.0.1) would bring FluentMigrator.Abstractions 8.0.1.0, higher than
        // nopCommerce's 7.1.0.0: projects reference build/ThirdPartyReference instead.
        var offenders = Directory.GetFiles(RepositoryPaths.Root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                && !p.Contains($"build{Path.DirectorySeparatorChar}tools{Path.DirectorySeparatorChar}fm-reference-gen"))
            .Where(p => System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(p), "<PackageReference\\s+Include=\"FluentMigrator", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
            .Select(p => Path.GetRelativePath(RepositoryPaths.Root, p))
            .ToList();

        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void Reference_members_have_no_behaviour()
    {
        Assert.Throws<NotSupportedException>(() => new SampleMigration().Up());
    }
}
