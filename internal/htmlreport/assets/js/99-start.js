setupPage();
