using Embeddings.Diagnostics;
using Embeddings.Usage.PostgreSql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL usage-record sink.</summary>
public static class PostgreSqlUsageRecordsServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="PostgreSqlUsageRecorder"/> as an <see cref="IEmbeddingUsageObserver"/> (alongside any
    /// other registered observer; <c>AddEmbeddings()</c> gives every record to each of them) and as a hosted service,
    /// so the host flushes it on shutdown. Calling it again registers nothing more. The options are validated when the
    /// host starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; <see cref="PostgreSqlUsageRecorderOptions.ConnectionString"/> is
    /// required.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddPostgreSqlUsageRecords(this IServiceCollection services, Action<PostgreSqlUsageRecorderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptionsWithValidateOnStart<PostgreSqlUsageRecorderOptions, PostgreSqlUsageRecorderOptionsValidator>().Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlUsageRecorderOptions>, PostgreSqlUsageRecorderOptionsCustomValidator>());
        services.TryAddSingleton(sp => new PostgreSqlUsageRecorder(
            sp.GetRequiredService<IOptions<PostgreSqlUsageRecorderOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetService<TimeProvider>()));
        // Alongside any other observer: AddEmbeddings() hands every record to each registered one.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEmbeddingUsageObserver, PostgreSqlUsageRecorder>(sp => sp.GetRequiredService<PostgreSqlUsageRecorder>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgreSqlUsageRecorder>(sp => sp.GetRequiredService<PostgreSqlUsageRecorder>()));
        return services;
    }

    /// <summary>Registers a <see cref="PostgreSqlUsageRecorder"/> writing to the default table (<c>ai_calls</c>) of
    /// the database a connection string names; see
    /// <see cref="AddPostgreSqlUsageRecords(IServiceCollection, Action{PostgreSqlUsageRecorderOptions})"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty.</exception>
    public static IServiceCollection AddPostgreSqlUsageRecords(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return services.AddPostgreSqlUsageRecords(options => options.ConnectionString = connectionString);
    }
}
