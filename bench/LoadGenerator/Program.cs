using ImageClassifier.LoadGenerator;

return await LoadGeneratorCommand.Create().Parse(args).InvokeAsync();
