using Bulwark.Node.Configuration;
using Bulwark.Node.Configuration.Binding;
using Bulwark.Node.Configuration.Validation;
using Microsoft.Extensions.Options;

namespace Bulwark.Node.Tests.Configuration.Validation;

public class SettingProblemsTests
{
    [Fact]
    public void A_failure_becomes_the_error_of_its_key()
    {
        var problems = new SettingProblems();
        problems.Add("Domains:0:CallAhead:Host", "call-ahead is enabled but no host is given");
        var failure = Assert.Single(problems.ToResult().Failures!);
        var error = SettingProblems.ToConfigurationError(failure);
        Assert.Equal("Domains:0:CallAhead:Host", error.Key);
        Assert.Equal("configuration error: Domains:0:CallAhead:Host: call-ahead is enabled but no host is given", error.Message);
    }

    [Fact]
    public void Ranges_include_their_bounds_and_refuse_not_a_number()
    {
        var problems = new SettingProblems();
        problems.InRange("A", 1, 1, 10);
        problems.InRange("A", 10, 1, 10);
        problems.InRangeSeconds("B", 0.05, 0.05, 120);
        Assert.False(problems.Any);
        problems.InRangeSeconds("B", double.NaN, 0.05, 120);
        Assert.Equal(["B: NaN is outside 0.05..120 seconds"], problems.ToResult().Failures!);
    }

    [Fact]
    public void A_section_without_problems_succeeds() => Assert.True(new SettingProblems().ToResult().Succeeded);

    [Fact]
    public void Every_validator_passes_the_defaults()
    {
        var options = new BulwarkOptions();
        options.Domains["0"] = new DomainOptions { Name = "example.test" };
        foreach (var validator in SectionValidator.InOrder)
            Assert.True(validator.Validate(Options.DefaultName, options).Succeeded, validator.GetType().Name);
    }

    [Fact]
    public void The_first_section_in_reading_order_gives_the_line()
    {
        var error = Assert.Throws<ConfigurationError>(() => BulwarkSettingsLoader.Load(TestSettings.Configuration(
            ("Content:BreakerFailures", "0"), ("Smtp:MaxRecipients", "0"), ("Node:Hostname", ""))));
        Assert.Equal("configuration error: Node:Hostname: must not be empty", error.Message);
    }

    [Fact]
    public void Binding_and_validation_leave_the_options_with_the_file_units()
    {
        var options = BulwarkSettingsLoader.BindAndValidate(TestSettings.Configuration(("Smtp:DrainSeconds", "7.5"), ("Node:Roles", "policy")));
        Assert.Equal(7.5, options.Smtp.DrainSeconds);
        Assert.Equal(["policy"], options.Node.Roles!);
        Assert.Null(options.Delivery.NextHop.PoolSize);
    }
}
