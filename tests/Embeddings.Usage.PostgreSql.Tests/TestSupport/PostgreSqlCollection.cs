namespace Embeddings.TestSupport;

/// <summary>The test classes that share one PostgreSQL server (each test in its own database).</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlFixture>
{
    public const string Name = "PostgreSql";
}
